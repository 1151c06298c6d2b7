CREATE TABLE invoices (id integer PRIMARY KEY, total numeric(12,2), note text);
CREATE INDEX invoices_total_idx ON invoices (total);
COMMENT ON TABLE invoices IS 'Old description';
COMMENT ON COLUMN invoices.note IS 'to be removed';
