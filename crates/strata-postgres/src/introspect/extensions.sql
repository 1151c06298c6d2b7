-- Installed extensions. plpgsql is installed in every database by initdb, so
-- it is not part of anyone's schema.
SELECT x.extname::text AS name,
       n.nspname::text AS schema,
       d.description AS comment
FROM pg_extension x
JOIN pg_namespace n ON n.oid = x.extnamespace
LEFT JOIN pg_description d
       ON d.classoid = 'pg_extension'::regclass AND d.objoid = x.oid AND d.objsubid = 0
WHERE x.extname <> 'plpgsql'
