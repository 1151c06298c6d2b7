CREATE TABLE accounts (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  email varchar(255),
  nickname varchar(20) NOT NULL DEFAULT 'anon',
  score numeric(10,2) DEFAULT 1.5
);
