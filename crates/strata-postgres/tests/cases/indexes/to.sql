CREATE TABLE users (id integer PRIMARY KEY, email text, name text, deleted_at timestamptz);
CREATE INDEX users_name_idx ON users (name DESC NULLS LAST);
CREATE UNIQUE INDEX users_email_live_idx ON users (lower(email)) WHERE deleted_at IS NULL;
CREATE INDEX users_name_pattern_idx ON users USING btree (name text_pattern_ops) INCLUDE (email);
