CREATE TABLE users (id integer PRIMARY KEY, email text, name text, deleted_at timestamptz);
CREATE INDEX users_name_idx ON users (name);
CREATE INDEX users_obsolete_idx ON users (deleted_at);
