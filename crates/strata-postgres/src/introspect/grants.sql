-- Privileges on schemas ('n'), relations ('r': tables, views, sequences),
-- columns ('c') and functions ('f'). A NULL acl means the built-in default
-- (acldefault), which for functions includes EXECUTE to PUBLIC: reading it
-- explicitly keeps "never granted" and "granted, then revoked" apart.
-- The owner's own entries are implicit and left out; grantee 0 is PUBLIC.
SELECT g.kind,
       g.objoid,
       g.attnum,
       CASE WHEN g.grantee = 0 THEN 'PUBLIC' ELSE pg_get_userbyid(g.grantee)::text END AS grantee,
       g.privilege,
       g.grantable
FROM (
    SELECT 'n' AS kind, n.oid AS objoid, 0::int2 AS attnum,
           acl.grantee, acl.privilege_type AS privilege, acl.is_grantable AS grantable
    FROM pg_namespace n,
         aclexplode(coalesce(n.nspacl, acldefault('n', n.nspowner))) acl
    WHERE acl.grantee <> n.nspowner
      AND n.nspname !~ '^pg_' AND n.nspname <> 'information_schema'
    UNION ALL
    -- The default of a relation or sequence grants to its owner only (all
    -- left out), so a NULL acl has nothing to report: skipping it saves
    -- exploding thousands of defaults.
    SELECT 'r', c.oid, 0::int2,
           acl.grantee, acl.privilege_type, acl.is_grantable
    FROM pg_class c
    JOIN pg_namespace n ON n.oid = c.relnamespace,
         aclexplode(c.relacl) acl
    WHERE c.relkind IN ('r', 'p', 'v', 'm', 'S') AND c.relacl IS NOT NULL
      AND acl.grantee <> c.relowner
      AND n.nspname !~ '^pg_' AND n.nspname <> 'information_schema'
    UNION ALL
    SELECT 'c', a.attrelid, a.attnum,
           acl.grantee, acl.privilege_type, acl.is_grantable
    FROM pg_attribute a
    JOIN pg_class c ON c.oid = a.attrelid
    JOIN pg_namespace n ON n.oid = c.relnamespace,
         aclexplode(a.attacl) acl
    WHERE a.attacl IS NOT NULL AND a.attnum > 0 AND NOT a.attisdropped
      AND acl.grantee <> c.relowner
      AND n.nspname !~ '^pg_' AND n.nspname <> 'information_schema'
    UNION ALL
    SELECT 'f', p.oid, 0::int2,
           acl.grantee, acl.privilege_type, acl.is_grantable
    FROM pg_proc p
    JOIN pg_namespace n ON n.oid = p.pronamespace,
         aclexplode(coalesce(p.proacl, acldefault('f', p.proowner))) acl
    WHERE p.prokind IN ('f', 'p')
      AND acl.grantee <> p.proowner
      AND n.nspname !~ '^pg_' AND n.nspname <> 'information_schema'
) g
