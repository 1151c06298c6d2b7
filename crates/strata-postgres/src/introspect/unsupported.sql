-- Objects Strata sees but does not model, by kind and name, so that a diff
-- can say what it leaves alone. `schema` is NULL for database-wide objects;
-- `table_name` is set for objects that hang off a table (for the filter).
-- Extension-owned objects are left out, as everywhere.
WITH user_ns AS (
    SELECT oid, nspname FROM pg_namespace
    WHERE nspname !~ '^pg_' AND nspname <> 'information_schema'
), ext AS (
    SELECT classid, objid FROM pg_depend WHERE deptype = 'e'
)
SELECT 'foreign table' AS kind, n.nspname::text AS schema, c.relname::text AS table_name,
       n.nspname || '.' || c.relname AS name
FROM pg_class c JOIN user_ns n ON n.oid = c.relnamespace
WHERE c.relkind = 'f'
  AND NOT EXISTS (SELECT 1 FROM ext WHERE ext.classid = 'pg_class'::regclass AND ext.objid = c.oid)
UNION ALL
SELECT 'rule', n.nspname::text, c.relname::text,
       r.rulename || ' on ' || n.nspname || '.' || c.relname
FROM pg_rewrite r JOIN pg_class c ON c.oid = r.ev_class JOIN user_ns n ON n.oid = c.relnamespace
WHERE r.rulename <> '_RETURN'
  AND NOT EXISTS (SELECT 1 FROM ext WHERE ext.classid = 'pg_rewrite'::regclass AND ext.objid = r.oid)
UNION ALL
SELECT 'event trigger', NULL, NULL, e.evtname::text
FROM pg_event_trigger e
WHERE NOT EXISTS (SELECT 1 FROM ext WHERE ext.classid = 'pg_event_trigger'::regclass AND ext.objid = e.oid)
UNION ALL
SELECT CASE t.typtype WHEN 'r' THEN 'range type' ELSE 'base type' END, n.nspname::text, NULL,
       n.nspname || '.' || t.typname
FROM pg_type t JOIN user_ns n ON n.oid = t.typnamespace
WHERE (t.typtype = 'r'
       -- array types are created along with their element type
       OR (t.typtype = 'b' AND NOT EXISTS (SELECT 1 FROM pg_type e WHERE e.typarray = t.oid)))
  AND NOT EXISTS (SELECT 1 FROM ext WHERE ext.classid = 'pg_type'::regclass AND ext.objid = t.oid)
UNION ALL
SELECT CASE p.prokind WHEN 'a' THEN 'aggregate' ELSE 'window function' END, n.nspname::text, NULL,
       n.nspname || '.' || p.proname || '(' || pg_get_function_identity_arguments(p.oid) || ')'
FROM pg_proc p JOIN user_ns n ON n.oid = p.pronamespace
WHERE p.prokind IN ('a', 'w')
  AND NOT EXISTS (SELECT 1 FROM ext WHERE ext.classid = 'pg_proc'::regclass AND ext.objid = p.oid)
UNION ALL
SELECT 'operator', n.nspname::text, NULL,
       n.nspname || '.' || o.oprname || '(' || coalesce(format_type(o.oprleft, NULL), 'NONE')
       || ', ' || coalesce(format_type(o.oprright, NULL), 'NONE') || ')'
FROM pg_operator o JOIN user_ns n ON n.oid = o.oprnamespace
WHERE NOT EXISTS (SELECT 1 FROM ext WHERE ext.classid = 'pg_operator'::regclass AND ext.objid = o.oid)
UNION ALL
SELECT 'operator class', n.nspname::text, NULL, n.nspname || '.' || o.opcname
FROM pg_opclass o JOIN user_ns n ON n.oid = o.opcnamespace
WHERE NOT EXISTS (SELECT 1 FROM ext WHERE ext.classid = 'pg_opclass'::regclass AND ext.objid = o.oid)
UNION ALL
SELECT 'operator family', n.nspname::text, NULL, n.nspname || '.' || o.opfname
FROM pg_opfamily o JOIN user_ns n ON n.oid = o.opfnamespace
WHERE NOT EXISTS (SELECT 1 FROM ext WHERE ext.classid = 'pg_opfamily'::regclass AND ext.objid = o.oid)
UNION ALL
SELECT 'statistics', n.nspname::text, c.relname::text, n.nspname || '.' || s.stxname
FROM pg_statistic_ext s JOIN user_ns n ON n.oid = s.stxnamespace
JOIN pg_class c ON c.oid = s.stxrelid
WHERE NOT EXISTS (SELECT 1 FROM ext WHERE ext.classid = 'pg_statistic_ext'::regclass AND ext.objid = s.oid)
UNION ALL
SELECT 'collation', n.nspname::text, NULL, n.nspname || '.' || c.collname
FROM pg_collation c JOIN user_ns n ON n.oid = c.collnamespace
WHERE NOT EXISTS (SELECT 1 FROM ext WHERE ext.classid = 'pg_collation'::regclass AND ext.objid = c.oid)
UNION ALL
SELECT 'text search configuration', n.nspname::text, NULL, n.nspname || '.' || c.cfgname
FROM pg_ts_config c JOIN user_ns n ON n.oid = c.cfgnamespace
WHERE NOT EXISTS (SELECT 1 FROM ext WHERE ext.classid = 'pg_ts_config'::regclass AND ext.objid = c.oid)
UNION ALL
SELECT 'text search dictionary', n.nspname::text, NULL, n.nspname || '.' || d.dictname
FROM pg_ts_dict d JOIN user_ns n ON n.oid = d.dictnamespace
WHERE NOT EXISTS (SELECT 1 FROM ext WHERE ext.classid = 'pg_ts_dict'::regclass AND ext.objid = d.oid)
UNION ALL
SELECT 'conversion', n.nspname::text, NULL, n.nspname || '.' || c.conname
FROM pg_conversion c JOIN user_ns n ON n.oid = c.connamespace
WHERE NOT EXISTS (SELECT 1 FROM ext WHERE ext.classid = 'pg_conversion'::regclass AND ext.objid = c.oid)
UNION ALL
SELECT 'publication', NULL, NULL, p.pubname::text
FROM pg_publication p
