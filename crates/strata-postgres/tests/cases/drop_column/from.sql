CREATE TABLE users (id integer PRIMARY KEY, legacy_code text NOT NULL DEFAULT 'x');
