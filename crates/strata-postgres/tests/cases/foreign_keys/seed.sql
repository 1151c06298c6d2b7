INSERT INTO authors VALUES (1, 'Le Guin');
INSERT INTO books VALUES (1, 1, NULL);
