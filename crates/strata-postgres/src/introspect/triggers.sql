-- User triggers (not the internal ones behind foreign keys), not cloned from
-- a partitioned parent (tgparentid <> 0: they belong to the parent).
SELECT t.tgrelid AS relid,
       c.relkind::text AS relkind,
       n.nspname::text AS schema,
       c.relname::text AS table_name,
       t.tgname::text AS name,
       pg_get_triggerdef(t.oid) AS definition,
       t.tgenabled::text AS enabled,
       d.description AS comment
FROM pg_trigger t
JOIN pg_class c ON c.oid = t.tgrelid
JOIN pg_namespace n ON n.oid = c.relnamespace
LEFT JOIN pg_description d
       ON d.classoid = 'pg_trigger'::regclass AND d.objoid = t.oid AND d.objsubid = 0
WHERE NOT t.tgisinternal AND t.tgparentid = 0
  AND n.nspname !~ '^pg_' AND n.nspname <> 'information_schema'
