-- Indexes of tables and materialized views that do not back a constraint
-- (those come with the constraint) and are not attached to an index of a
-- partitioned parent (those belong to the parent). Each key is reported with
-- its modifiers, each only when it is not the default:
--   opclass   when not the default for the key's type,
--   collation when not the column's (or the key type's) collation,
--   option    indoption bits: 1 = DESC, 2 = NULLS FIRST.
-- INCLUDE columns are reported as attnums (`index_keys` from `key_count`
-- on); their names come from the columns query.
--
-- Cost: the keys of all indexes are unnested at once and aggregated back per
-- index; only an expression key (attnum 0) needs the server to print it, a
-- column key is its quoted name (what pg_get_indexdef prints).
-- `i.indnullsnotdistinct` exists from PostgreSQL 15 on; the query text is
-- adapted to older servers (see `super::query_text`).
WITH idx AS MATERIALIZED (
    SELECT i.indexrelid, i.indrelid, i.indisunique, i.indnkeyatts, i.indkey, i.indclass,
           i.indcollation, i.indoption, i.indpred, i.indnullsnotdistinct AS nulls_not_distinct
    FROM pg_index i
    JOIN pg_class tc ON tc.oid = i.indrelid
    JOIN pg_namespace n ON n.oid = tc.relnamespace
    WHERE tc.relkind IN ('r', 'p', 'm')
      AND n.nspname !~ '^pg_' AND n.nspname <> 'information_schema'
      -- (a key, unique or exclusion constraint is on its index's table)
      AND NOT EXISTS (SELECT 1 FROM pg_constraint co
                      WHERE co.conindid = i.indexrelid AND co.contype IN ('p', 'u', 'x'))
      AND NOT EXISTS (SELECT 1 FROM pg_inherits h WHERE h.inhrelid = i.indexrelid)
), keys AS (
    -- `a` is the table's column for a column key, and the index's own
    -- attribute for an expression key (its type gives the default collation):
    -- one index probe in pg_attribute per key (LIMIT 1 keeps the planner from
    -- hashing all of pg_attribute instead, which costs more).
    -- The arrays are aggregated without ORDER BY (which would sort every
    -- index's keys once per array) but in step with each other, and come with
    -- the keys' positions, by which the reader orders them.
    SELECT k.indexrelid,
           array_agg(k.n::int4) AS positions,
           array_agg(CASE WHEN k.attnum = 0 THEN pg_get_indexdef(k.indexrelid, k.n::int, true)
                          ELSE a.attname::text END) AS expressions,
           array_agg(k.attnum <> 0) AS is_column,
           array_agg(CASE WHEN opc.opcdefault THEN NULL
                          WHEN opn.nspname = 'pg_catalog' THEN quote_ident(opc.opcname)
                          ELSE quote_ident(opn.nspname) || '.' || quote_ident(opc.opcname) END) AS opclasses,
           array_agg(CASE WHEN k.collation_oid = 0
                            OR k.collation_oid = CASE WHEN k.attnum = 0 THEN kt.typcollation
                                                      ELSE a.attcollation END THEN NULL
                          WHEN con.nspname = 'pg_catalog' THEN quote_ident(coll.collname)
                          ELSE quote_ident(con.nspname) || '.' || quote_ident(coll.collname) END) AS collations,
           array_agg(k.option) AS options
    FROM (SELECT idx.indexrelid, u.attnum, u.opclass, u.coll AS collation_oid, u.option, u.n,
                 CASE WHEN u.attnum = 0 THEN idx.indexrelid ELSE idx.indrelid END AS attrelid,
                 CASE WHEN u.attnum = 0 THEN u.n::int2 ELSE u.attnum END AS attnum_lookup
          FROM idx,
               unnest(idx.indkey::int2[], idx.indclass::oid[], idx.indcollation::oid[],
                      idx.indoption::int2[]) WITH ORDINALITY u(attnum, opclass, coll, option, n)
          WHERE u.n <= idx.indnkeyatts) k
    LEFT JOIN LATERAL (SELECT a.attname, a.attcollation, a.atttypid FROM pg_attribute a
                       WHERE a.attrelid = k.attrelid AND a.attnum = k.attnum_lookup
                       LIMIT 1) a ON true
    LEFT JOIN pg_type kt ON kt.oid = a.atttypid AND k.attnum = 0
    LEFT JOIN pg_opclass opc ON opc.oid = k.opclass
    LEFT JOIN pg_namespace opn ON opn.oid = opc.opcnamespace
    LEFT JOIN pg_collation coll ON coll.oid = k.collation_oid
    LEFT JOIN pg_namespace con ON con.oid = coll.collnamespace
    GROUP BY k.indexrelid
)
SELECT i.indrelid AS relid,
       ic.relname::text AS name,
       i.indisunique AS is_unique,
       am.amname::text AS method,
       keys.positions,
       keys.expressions,
       keys.is_column,
       keys.opclasses,
       keys.collations,
       keys.options,
       i.indkey::int2[] AS index_keys,
       i.indnkeyatts AS key_count,
       pg_get_expr(i.indpred, i.indrelid) AS predicate,
       coalesce(i.nulls_not_distinct, false) AS nulls_not_distinct,
       coalesce(ic.reloptions, '{}') AS options_with,
       d.description AS comment
FROM idx i
JOIN pg_class ic ON ic.oid = i.indexrelid
JOIN pg_am am ON am.oid = ic.relam
LEFT JOIN keys ON keys.indexrelid = i.indexrelid
LEFT JOIN pg_description d
       ON d.classoid = 'pg_class'::regclass AND d.objoid = i.indexrelid AND d.objsubid = 0
