-- Primary key, unique, foreign key, check and exclusion constraints of
-- tables, and CHECK constraints of domains (contypid). Constraints inherited
-- from a parent (conislocal = false) or cloned from a partitioned parent
-- (conparentid <> 0) are left out: they belong to the parent.
-- nulls_not_distinct goes through to_jsonb so that one query text runs on
-- servers before 15, whose pg_index has no indnullsnotdistinct.
SELECT co.conrelid AS relid,
       co.contypid AS typid,
       co.conname::text AS name,
       co.contype::text AS kind,
       ARRAY(SELECT a.attname::text
             FROM unnest(co.conkey) WITH ORDINALITY k(num, ord)
             JOIN pg_attribute a ON a.attrelid = co.conrelid AND a.attnum = k.num
             ORDER BY k.ord) AS columns,
       ARRAY(SELECT a.attname::text
             FROM generate_series(i.indnkeyatts, i.indnatts - 1) k
             JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = i.indkey[k]
             ORDER BY k) AS include,
       coalesce((to_jsonb(i) ->> 'indnullsnotdistinct')::boolean, false) AS nulls_not_distinct,
       fn.nspname::text AS ref_schema,
       fc.relname::text AS ref_table,
       ARRAY(SELECT a.attname::text
             FROM unnest(co.confkey) WITH ORDINALITY k(num, ord)
             JOIN pg_attribute a ON a.attrelid = co.confrelid AND a.attnum = k.num
             ORDER BY k.ord) AS ref_columns,
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
