CREATE TABLE documents (id integer PRIMARY KEY, owner_name text NOT NULL, public boolean NOT NULL DEFAULT false);
CREATE POLICY documents_public ON documents FOR SELECT USING (public);
