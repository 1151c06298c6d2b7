CREATE TYPE role AS ENUM ('student', 'assistant', 'teacher');

CREATE TABLE schools (
  id serial PRIMARY KEY,
  name text NOT NULL UNIQUE,
  city text
);

CREATE TABLE users (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  school_id integer NOT NULL REFERENCES schools (id) ON DELETE CASCADE,
  name varchar(200) NOT NULL,
  role role NOT NULL DEFAULT 'student',
  score numeric(6,2),
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX users_school_idx ON users (school_id);
CREATE INDEX users_name_idx ON users (lower(name));
COMMENT ON TABLE users IS 'People who use the app';

CREATE VIEW top_users AS SELECT id, name, score FROM users WHERE score > 90;
