-- Free-standing composite types (CREATE TYPE ... AS (...)); keyed by their
-- relation (typrelid) since their attributes come with the columns query.
SELECT t.typrelid AS relid,
       n.nspname::text AS schema,
       t.typname::text AS name,
       d.description AS comment
FROM pg_type t
JOIN pg_class c ON c.oid = t.typrelid AND c.relkind = 'c'
JOIN pg_namespace n ON n.oid = t.typnamespace
LEFT JOIN pg_description d
       ON d.classoid = 'pg_type'::regclass AND d.objoid = t.oid AND d.objsubid = 0
WHERE t.typtype = 'c'
  AND n.nspname !~ '^pg_' AND n.nspname <> 'information_schema'
  AND NOT EXISTS (SELECT 1 FROM pg_depend e
                  WHERE e.classid = 'pg_type'::regclass AND e.objid = t.oid AND e.deptype = 'e')
