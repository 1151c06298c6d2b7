CREATE TABLE events (id bigint NOT NULL, happened_on date NOT NULL, payload jsonb) PARTITION BY RANGE (happened_on);
CREATE TABLE events_2024 PARTITION OF events FOR VALUES FROM ('2024-01-01') TO ('2025-01-01');
