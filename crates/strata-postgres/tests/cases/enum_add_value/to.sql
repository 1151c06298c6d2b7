CREATE TYPE mood AS ENUM ('very_sad', 'sad', 'ok', 'happy');
CREATE TABLE people (id integer PRIMARY KEY, mood mood NOT NULL DEFAULT 'ok');
