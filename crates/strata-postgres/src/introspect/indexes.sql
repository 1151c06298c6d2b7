-- Indexes of tables and materialized views that do not back a constraint
-- (those come with the constraint) and are not attached to an index of a
-- partitioned parent (those belong to the parent). Each key is reported with
-- its modifiers, each only when it is not the default:
--   opclass   when not the default for the key's type,
--   collation when not the column's (or the key type's) collation,
--   option    indoption bits: 1 = DESC, 2 = NULLS FIRST.
SELECT i.indrelid AS relid,
       ic.relname::text AS name,
       i.indisunique AS is_unique,
       am.amname::text AS method,
       keys.expressions,
       keys.is_column,
       keys.opclasses,
       keys.collations,
       keys.options,
       ARRAY(SELECT a.attname::text
             FROM generate_series(i.indnkeyatts, i.indnatts - 1) k
             JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = i.indkey[k]
             ORDER BY k) AS include,
       pg_get_expr(i.indpred, i.indrelid) AS predicate,
       coalesce((to_jsonb(i) ->> 'indnullsnotdistinct')::boolean, false) AS nulls_not_distinct,
       coalesce(ic.reloptions, '{}') AS options_with,
       d.description AS comment
FROM pg_index i
JOIN pg_class ic ON ic.oid = i.indexrelid
JOIN pg_class tc ON tc.oid = i.indrelid
JOIN pg_namespace n ON n.oid = tc.relnamespace
JOIN pg_am am ON am.oid = ic.relam
CROSS JOIN LATERAL (
    SELECT array_agg(pg_get_indexdef(i.indexrelid, k, true) ORDER BY k) AS expressions,
           array_agg(i.indkey[k - 1] <> 0 ORDER BY k) AS is_column,
           array_agg(CASE WHEN opc.opcdefault THEN NULL
                          WHEN opn.nspname = 'pg_catalog' THEN quote_ident(opc.opcname)
                          ELSE quote_ident(opn.nspname) || '.' || quote_ident(opc.opcname) END
                     ORDER BY k) AS opclasses,
           array_agg(CASE WHEN i.indcollation[k - 1] = 0
                            OR i.indcollation[k - 1] = coalesce(ta.attcollation, kt.typcollation) THEN NULL
                          WHEN con.nspname = 'pg_catalog' THEN quote_ident(coll.collname)
                          ELSE quote_ident(con.nspname) || '.' || quote_ident(coll.collname) END
                     ORDER BY k) AS collations,
           array_agg(i.indoption[k - 1] ORDER BY k) AS options
    FROM generate_series(1, i.indnkeyatts) k
    LEFT JOIN pg_opclass opc ON opc.oid = i.indclass[k - 1]
    LEFT JOIN pg_namespace opn ON opn.oid = opc.opcnamespace
    LEFT JOIN pg_attribute ta ON ta.attrelid = i.indrelid AND ta.attnum = i.indkey[k - 1]
                             AND i.indkey[k - 1] <> 0
    LEFT JOIN pg_attribute ia ON ia.attrelid = i.indexrelid AND ia.attnum = k
    LEFT JOIN pg_type kt ON kt.oid = ia.atttypid
    LEFT JOIN pg_collation coll ON coll.oid = i.indcollation[k - 1]
    LEFT JOIN pg_namespace con ON con.oid = coll.collnamespace
) keys
LEFT JOIN pg_description d
       ON d.classoid = 'pg_class'::regclass AND d.objoid = i.indexrelid AND d.objsubid = 0
WHERE tc.relkind IN ('r', 'p', 'm')
  AND n.nspname !~ '^pg_' AND n.nspname <> 'information_schema'
  AND NOT EXISTS (SELECT 1 FROM pg_constraint co
                  WHERE co.conindid = i.indexrelid AND co.conrelid = i.indrelid
                    AND co.contype IN ('p', 'u', 'x'))
  AND NOT EXISTS (SELECT 1 FROM pg_inherits h WHERE h.inhrelid = i.indexrelid)
