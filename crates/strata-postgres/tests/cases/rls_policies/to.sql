CREATE TABLE documents (id integer PRIMARY KEY, owner_name text NOT NULL, public boolean NOT NULL DEFAULT false);
ALTER TABLE documents ENABLE ROW LEVEL SECURITY;
ALTER TABLE documents FORCE ROW LEVEL SECURITY;
CREATE POLICY documents_public ON documents FOR SELECT USING (public OR owner_name = current_user);
CREATE POLICY documents_owner_write ON documents AS RESTRICTIVE FOR UPDATE
  USING (owner_name = current_user) WITH CHECK (owner_name = current_user);
