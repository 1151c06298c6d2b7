-- Schemas outside the system ones (pg_*, information_schema), with comments.
-- Names starting with pg_ are reserved, so the regex covers pg_catalog,
-- pg_toast*, pg_temp_* and pg_toast_temp_*.
SELECT n.oid,
       n.nspname::text AS name,
       d.description AS comment
FROM pg_namespace n
LEFT JOIN pg_description d
       ON d.classoid = 'pg_namespace'::regclass AND d.objoid = n.oid AND d.objsubid = 0
WHERE n.nspname !~ '^pg_' AND n.nspname <> 'information_schema'
  AND NOT EXISTS (SELECT 1 FROM pg_depend e
                  WHERE e.classid = 'pg_namespace'::regclass AND e.objid = n.oid AND e.deptype = 'e')
