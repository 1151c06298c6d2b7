CREATE TYPE status AS ENUM ('pending', 'done');
CREATE TABLE tasks (id integer PRIMARY KEY, status status NOT NULL);
