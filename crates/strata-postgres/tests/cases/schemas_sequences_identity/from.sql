CREATE TABLE public.counters (id integer PRIMARY KEY);
