-- Primary key, unique, foreign key, check and exclusion constraints of
-- tables, and CHECK constraints of domains (contypid). Constraints inherited
-- from a parent (conislocal = false) or cloned from a partitioned parent
-- (conparentid <> 0) are left out: they belong to the parent.
--
-- Columns are reported as attnums (`columns`, `ref_columns`, and the index's
-- `index_keys` from `index_key_count` on, which are the INCLUDE columns);
-- their names come from the columns query, so no per-row lookups here.
-- `i.indnullsnotdistinct` exists from PostgreSQL 15 on; the query text is
-- adapted to older servers (see `super::query_text`).
SELECT co.conrelid AS relid,
       co.contypid AS typid,
       co.conname::text AS name,
       co.contype::text AS kind,
       co.conkey AS columns,
       i.indkey::int2[] AS index_keys,
       i.indnkeyatts AS index_key_count,
       coalesce(i.indnullsnotdistinct, false) AS nulls_not_distinct,
       co.confrelid AS ref_relid,
       fn.nspname::text AS ref_schema,
       fc.relname::text AS ref_table,
       co.confkey AS ref_columns,
       co.confupdtype::text AS on_update,
       co.confdeltype::text AS on_delete,
       co.confmatchtype::text AS match_type,
       co.condeferrable AS deferrable,
       co.condeferred AS deferred,
       co.convalidated AS validated,
       co.connoinherit AS no_inherit,
       -- Only CHECK and EXCLUDE need the text; printing the others is costly.
       CASE WHEN co.contype IN ('c', 'x') THEN pg_get_constraintdef(co.oid) END AS definition,
       d.description AS comment
FROM pg_constraint co
JOIN pg_namespace n ON n.oid = co.connamespace
LEFT JOIN pg_index i ON i.indexrelid = co.conindid AND co.contype IN ('p', 'u')
LEFT JOIN pg_class fc ON fc.oid = co.confrelid AND co.contype = 'f'
LEFT JOIN pg_namespace fn ON fn.oid = fc.relnamespace
LEFT JOIN pg_description d
       ON d.classoid = 'pg_constraint'::regclass AND d.objoid = co.oid AND d.objsubid = 0
WHERE co.contype IN ('p', 'u', 'f', 'c', 'x')
  AND co.conislocal AND co.conparentid = 0
  AND n.nspname !~ '^pg_' AND n.nspname <> 'information_schema'
