INSERT INTO members VALUES (1, 'a@example.com', 30, 'a'), (2, NULL, NULL, NULL);
