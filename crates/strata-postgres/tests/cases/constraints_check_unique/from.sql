CREATE TABLE members (id integer PRIMARY KEY, email text UNIQUE, age integer, handle text);
