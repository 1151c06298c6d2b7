CREATE TYPE role AS ENUM ('student', 'teacher');

CREATE TABLE schools (
  id serial PRIMARY KEY,
  name text NOT NULL UNIQUE
);

CREATE TABLE users (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  school_id integer NOT NULL REFERENCES schools (id) ON DELETE CASCADE,
  full_name varchar(200) NOT NULL,
  role role NOT NULL DEFAULT 'student',
  score integer,
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX users_school_idx ON users (school_id);
COMMENT ON TABLE users IS 'People who use the app';
