INSERT INTO orders VALUES (1, '12', '2024-01-31'), (2, '7', NULL);
