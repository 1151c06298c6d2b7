INSERT INTO products VALUES (1, 'pen', 3), (2, 'desk', 200);
