CREATE TABLE members (
  id integer PRIMARY KEY,
  email text,
  age integer CONSTRAINT members_age_positive CHECK (age >= 0),
  handle text,
  CONSTRAINT members_handle_key UNIQUE NULLS NOT DISTINCT (handle)
);
