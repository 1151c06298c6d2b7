DO $$ BEGIN CREATE ROLE strata_case_reader NOLOGIN; EXCEPTION WHEN duplicate_object THEN NULL; END $$;
DO $$ BEGIN CREATE ROLE "strata case-writer" NOLOGIN; EXCEPTION WHEN duplicate_object THEN NULL; END $$;
CREATE TABLE reports (id integer PRIMARY KEY, body text, secret text);
GRANT SELECT, INSERT ON reports TO strata_case_reader;
