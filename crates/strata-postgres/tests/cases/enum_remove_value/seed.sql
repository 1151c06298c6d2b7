INSERT INTO items VALUES (1, 'red', '{red,blue}'), (2, 'blue', NULL);
