CREATE TABLE users (
  id integer PRIMARY KEY,
  name text NOT NULL DEFAULT 'anonymous',
  created_at timestamp with time zone DEFAULT now(),
  tags text[]
);
