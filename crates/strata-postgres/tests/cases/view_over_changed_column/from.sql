CREATE TABLE products (id integer PRIMARY KEY, name varchar(40) NOT NULL, price integer);
CREATE VIEW cheap_products AS SELECT id, name FROM products WHERE price < 10;
