CREATE TABLE orders (id integer PRIMARY KEY, amount text NOT NULL, placed_on text);
