CREATE TABLE authors (id integer PRIMARY KEY, name text);
CREATE TABLE books (
  id integer PRIMARY KEY,
  author_id integer NOT NULL REFERENCES authors (id) ON DELETE CASCADE,
  editor_id integer CONSTRAINT books_editor_fk REFERENCES authors (id) ON DELETE SET NULL DEFERRABLE INITIALLY DEFERRED
);
CREATE INDEX books_author_id_idx ON books (author_id);
