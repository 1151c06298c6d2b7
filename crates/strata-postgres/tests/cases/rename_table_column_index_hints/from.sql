CREATE TABLE people (id integer PRIMARY KEY, full_name text NOT NULL);
CREATE INDEX people_full_name_idx ON people (full_name);
