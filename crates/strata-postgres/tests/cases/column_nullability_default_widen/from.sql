CREATE TABLE accounts (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  email varchar(50) NOT NULL,
  nickname varchar(20),
  score numeric(6,2) DEFAULT 0
);
