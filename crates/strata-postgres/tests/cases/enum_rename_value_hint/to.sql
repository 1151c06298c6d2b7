CREATE TYPE status AS ENUM ('waiting', 'done');
CREATE TABLE tasks (id integer PRIMARY KEY, status status NOT NULL);
