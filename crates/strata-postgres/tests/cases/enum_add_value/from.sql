CREATE TYPE mood AS ENUM ('sad', 'ok');
CREATE TABLE people (id integer PRIMARY KEY, mood mood NOT NULL DEFAULT 'ok');
