CREATE TYPE color AS ENUM ('red', 'blue');
CREATE TABLE items (id integer PRIMARY KEY, color color DEFAULT 'red', palette color[]);
