CREATE TABLE products (id integer PRIMARY KEY, name text NOT NULL, price numeric(10,2));
CREATE VIEW cheap_products AS SELECT id, name FROM products WHERE price < 10;
