CREATE TABLE invoices (id integer PRIMARY KEY, total numeric(12,2), note text);
CREATE INDEX invoices_total_idx ON invoices (total);
COMMENT ON TABLE invoices IS 'Invoices sent to customers; it''s the ledger';
COMMENT ON COLUMN invoices.total IS 'Gross total, tax included';
COMMENT ON INDEX invoices_total_idx IS 'for range reports';
