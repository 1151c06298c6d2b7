//! Introspection of types, sequences, views, functions, triggers, policies,
//! grants, comments and unsupported objects.

use strata_postgres::introspect::introspect;
use strata_schema::*;

async fn schema_of(sql: &str) -> Schema {
    let db = strata_testkit::TestDatabase::create().await;
    let client = db.connect().await;
    client.batch_execute(sql).await.unwrap();
    introspect(&client, &Filter::default()).await.unwrap()
}

fn q(name: &str) -> QualifiedName {
    QualifiedName::parse(name)
}

#[tokio::test]
async fn types_and_sequences() {
    let s = schema_of(
        r#"
        CREATE TYPE mood AS ENUM ('sad', 'ok');
        ALTER TYPE mood ADD VALUE 'happy' BEFORE 'ok';
        COMMENT ON TYPE mood IS 'feelings';
        CREATE DOMAIN price AS numeric(10,2) NOT NULL DEFAULT 0
            CONSTRAINT price_positive CHECK (VALUE >= 0);
        CREATE DOMAIN code AS text COLLATE "C";
        CREATE TYPE pair AS (x int, label text COLLATE "C");
        COMMENT ON TYPE pair IS 'two things';
        CREATE SEQUENCE counter AS integer START 5 INCREMENT 2 MINVALUE 1 MAXVALUE 100 CACHE 3 CYCLE;
        COMMENT ON SEQUENCE counter IS 'counts';
        "#,
    )
    .await;
    assert_eq!(
        s.enums,
        vec![EnumType {
            name: q("public.mood"),
            labels: vec!["sad".into(), "happy".into(), "ok".into()],
            comment: Some("feelings".into())
        }]
    );
    assert_eq!(
        s.domains,
        vec![
            Domain {
                name: q("public.code"),
                data_type: "text".into(),
                not_null: false,
                default: None,
                collation: Some("\"C\"".into()),
                checks: vec![],
                comment: None
            },
            Domain {
                name: q("public.price"),
                data_type: "numeric(10,2)".into(),
                not_null: true,
                default: Some("0".into()),
                collation: None,
                checks: vec![CheckConstraint {
                    name: "price_positive".into(),
                    expression: "(VALUE >= (0)::numeric)".into(),
                    no_inherit: false,
                    not_valid: false,
                    comment: None
                }],
                comment: None
            }
        ]
    );
    assert_eq!(
        s.composite_types,
        vec![CompositeType {
            name: q("public.pair"),
            attributes: vec![
                CompositeAttribute {
                    name: "x".into(),
                    data_type: "integer".into(),
                    collation: None
                },
                CompositeAttribute {
                    name: "label".into(),
                    data_type: "text".into(),
                    collation: Some("\"C\"".into())
                }
            ],
            comment: Some("two things".into())
        }]
    );
    assert_eq!(
        s.sequences,
        vec![Sequence {
            name: q("public.counter"),
            data_type: "integer".into(),
            options: SequenceOptions {
                start: 5,
                increment: 2,
                min_value: 1,
                max_value: 100,
                cache: 3,
                cycle: true
            },
            owned_by: None,
            comment: Some("counts".into()),
            grants: vec![]
        }]
    );
    // Composite types are not tables.
    assert!(s.tables.is_empty());
}

#[tokio::test]
async fn views() {
    let s = schema_of(
        r#"
        CREATE TABLE t (a int, b text);
        CREATE VIEW v WITH (security_barrier = true) AS SELECT a, b FROM t WHERE a > 0;
        COMMENT ON VIEW v IS 'positive';
        COMMENT ON COLUMN v.b IS 'bee';
        CREATE MATERIALIZED VIEW mv AS SELECT a FROM t WITH NO DATA;
        CREATE UNIQUE INDEX mv_a ON mv (a);
        CREATE MATERIALIZED VIEW filled AS SELECT 1 AS one;
        "#,
    )
    .await;
    let v = s.view(&q("public.v")).unwrap();
    // The server's own text: PostgreSQL 16 stopped qualifying the columns
    // of a one-table query with the table's name.
    let (definition, mv_definition) = if strata_testkit::server_version().await.major() >= 16 {
        (
            "SELECT a,\n    b\n   FROM public.t\n  WHERE a > 0",
            "SELECT a\n   FROM public.t",
        )
    } else {
        (
            "SELECT t.a,\n    t.b\n   FROM public.t\n  WHERE t.a > 0",
            "SELECT t.a\n   FROM public.t",
        )
    };
    assert_eq!(
        v,
        &View {
            name: q("public.v"),
            definition: definition.into(),
            materialized: false,
            with_no_data: false,
            with: vec!["security_barrier=true".into()],
            indexes: vec![],
            column_comments: vec![("b".into(), "bee".into())],
            comment: Some("positive".into()),
            grants: vec![]
        }
    );
    let mv = s.view(&q("public.mv")).unwrap();
    assert!(mv.materialized && mv.with_no_data);
    assert_eq!(mv.definition, mv_definition);
    assert_eq!(mv.indexes.len(), 1);
    assert_eq!(mv.indexes[0].name, "mv_a");
    assert!(mv.indexes[0].unique);
    let filled = s.view(&q("public.filled")).unwrap();
    assert!(filled.materialized && !filled.with_no_data);
}

#[tokio::test]
async fn functions_triggers_policies() {
    let s = schema_of(
        r#"
        CREATE TABLE t (id int, owner text, at timestamptz);
        CREATE FUNCTION touch() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN NEW.at := now(); RETURN NEW; END $$;
        COMMENT ON FUNCTION touch() IS 'sets at';
        CREATE FUNCTION add(a integer, b integer DEFAULT 1) RETURNS integer
            LANGUAGE sql IMMUTABLE AS 'SELECT a + b';
        CREATE PROCEDURE noop(x text) LANGUAGE sql AS 'SELECT 1';
        CREATE TRIGGER t_touch BEFORE UPDATE ON t FOR EACH ROW EXECUTE FUNCTION touch();
        CREATE TRIGGER t_off AFTER INSERT ON t FOR EACH STATEMENT EXECUTE FUNCTION touch();
        ALTER TABLE t DISABLE TRIGGER t_off;
        COMMENT ON TRIGGER t_touch ON t IS 'keeps at fresh';
        CREATE ROLE strata_reader;
        ALTER TABLE t ENABLE ROW LEVEL SECURITY;
        CREATE POLICY mine ON t FOR UPDATE TO strata_reader, CURRENT_USER
            USING (owner = current_user) WITH CHECK (id > 0);
        CREATE POLICY everyone ON t AS RESTRICTIVE USING (true);
        COMMENT ON POLICY mine ON t IS 'own rows';
        "#,
    )
    .await;
    // The server's own text: PostgreSQL 14 started naming the mode of a
    // procedure's arguments (OUT arguments became part of its identity).
    let procedure_arguments = if strata_testkit::server_version().await.major() >= 14 {
        "IN x text"
    } else {
        "x text"
    };
    let names: Vec<_> = s
        .functions
        .iter()
        .map(|f| (f.name.to_string(), f.arguments.as_str(), f.kind.as_str()))
        .collect();
    assert_eq!(
        names,
        [
            ("public.add".to_string(), "a integer, b integer", "function"),
            ("public.noop".to_string(), procedure_arguments, "procedure"),
            ("public.touch".to_string(), "", "function"),
        ]
    );
    let add = &s.functions[0];
    assert_eq!(add.returns.as_deref(), Some("integer"));
    assert!(add
        .definition
        .starts_with("CREATE OR REPLACE FUNCTION public.add(a integer, b integer DEFAULT 1)"));
    assert_eq!(s.functions[1].returns, None);
    assert_eq!(s.functions[2].comment.as_deref(), Some("sets at"));
    // Default privileges are explicit: EXECUTE to PUBLIC.
    assert_eq!(
        add.grants,
        vec![Grant {
            grantee: "PUBLIC".into(),
            privilege: "EXECUTE".into(),
            with_grant_option: false
        }]
    );

    let t = s.table(&q("public.t")).unwrap();
    assert_eq!(
        t.triggers,
        vec![
            Trigger {
                name: "t_off".into(),
                definition: "CREATE TRIGGER t_off AFTER INSERT ON public.t FOR EACH STATEMENT EXECUTE FUNCTION public.touch()".into(),
                enabled: "D".into(),
                comment: None
            },
            Trigger {
                name: "t_touch".into(),
                definition: "CREATE TRIGGER t_touch BEFORE UPDATE ON public.t FOR EACH ROW EXECUTE FUNCTION public.touch()".into(),
                enabled: "O".into(),
                comment: Some("keeps at fresh".into())
            }
        ]
    );
    assert!(t.rls_enabled && !t.rls_forced);
    assert_eq!(
        t.policies,
        vec![
            Policy {
                name: "everyone".into(),
                command: "ALL".into(),
                permissive: false,
                roles: vec!["public".into()],
                using: Some("true".into()),
                with_check: None,
                comment: None
            },
            Policy {
                name: "mine".into(),
                command: "UPDATE".into(),
                permissive: true,
                roles: vec!["postgres".into(), "strata_reader".into()],
                using: Some("(owner = CURRENT_USER)".into()),
                with_check: Some("(id > 0)".into()),
                comment: Some("own rows".into())
            }
        ]
    );
}

#[tokio::test]
async fn grants_and_comments() {
    let db = strata_testkit::TestDatabase::create().await;
    let client = db.connect().await;
    let role = format!("strata_app_{}", db.name);
    client
        .batch_execute(&format!(
            r#"
            DROP ROLE IF EXISTS {role}; CREATE ROLE {role};
            CREATE SCHEMA app;
            COMMENT ON SCHEMA app IS 'the app';
            GRANT USAGE ON SCHEMA app TO {role} WITH GRANT OPTION;
            CREATE TABLE app.t (a int, b int);
            GRANT SELECT, INSERT ON app.t TO {role};
            GRANT UPDATE (b) ON app.t TO {role};
            GRANT SELECT ON app.t TO PUBLIC;
            CREATE SEQUENCE app.s;
            GRANT USAGE ON SEQUENCE app.s TO {role};
            CREATE VIEW app.v AS SELECT a FROM app.t;
            GRANT SELECT ON app.v TO {role};
            CREATE FUNCTION app.f() RETURNS int LANGUAGE sql AS 'SELECT 1';
            REVOKE EXECUTE ON FUNCTION app.f() FROM PUBLIC;
            GRANT EXECUTE ON FUNCTION app.f() TO {role};
            "#
        ))
        .await
        .unwrap();
    let s = introspect(&client, &Filter::default()).await.unwrap();
    client
        .batch_execute(&format!("DROP OWNED BY {role}; DROP ROLE {role}"))
        .await
        .unwrap();
    let g = |grantee: &str, privilege: &str, with_grant_option: bool| Grant {
        grantee: grantee.into(),
        privilege: privilege.into(),
        with_grant_option,
    };
    let app = s.namespaces.iter().find(|n| n.name == "app").unwrap();
    assert_eq!(app.comment.as_deref(), Some("the app"));
    assert_eq!(app.grants, vec![g(&role, "USAGE", true)]);
    let public = s.namespaces.iter().find(|n| n.name == "public").unwrap();
    // PostgreSQL 15 stopped granting CREATE on the public schema to PUBLIC.
    let public_grants = if strata_testkit::server_version().await.major() >= 15 {
        vec![g("PUBLIC", "USAGE", false)]
    } else {
        vec![g("PUBLIC", "CREATE", false), g("PUBLIC", "USAGE", false)]
    };
    assert_eq!(public.grants, public_grants);

    let t = s.table(&q("app.t")).unwrap();
    assert_eq!(
        t.grants,
        vec![
            g("PUBLIC", "SELECT", false),
            g(&role, "INSERT", false),
            g(&role, "SELECT", false)
        ]
    );
    assert_eq!(
        t.column("b").unwrap().grants,
        vec![g(&role, "UPDATE", false)]
    );
    assert!(t.column("a").unwrap().grants.is_empty());
    assert_eq!(s.sequences[0].grants, vec![g(&role, "USAGE", false)]);
    assert_eq!(
        s.view(&q("app.v")).unwrap().grants,
        vec![g(&role, "SELECT", false)]
    );
    // Revoked from PUBLIC: only the explicit grant remains.
    assert_eq!(s.functions[0].grants, vec![g(&role, "EXECUTE", false)]);
}

#[tokio::test]
async fn unsupported_objects_are_listed() {
    let s = schema_of(
        r#"
        CREATE TABLE t (a int, b int);
        CREATE VIEW v AS SELECT a FROM t;
        CREATE FUNCTION v_ins() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN NEW; END $$;
        CREATE TRIGGER v_ins INSTEAD OF INSERT ON v FOR EACH ROW EXECUTE FUNCTION v_ins();
        CREATE RULE no_delete AS ON DELETE TO t DO INSTEAD NOTHING;
        CREATE TYPE span AS RANGE (subtype = int4);
        CREATE AGGREGATE total(int) (sfunc = int4pl, stype = int);
        CREATE OPERATOR === (leftarg = int, rightarg = int, function = int4eq);
        CREATE STATISTICS t_stats ON a, b FROM t;
        CREATE PUBLICATION pub FOR TABLE t;
        CREATE COLLATION ci (provider = icu, locale = 'und-u-ks-level2', deterministic = false);
        CREATE FOREIGN DATA WRAPPER fdw;
        CREATE SERVER srv FOREIGN DATA WRAPPER fdw;
        CREATE FOREIGN TABLE ft (a int) SERVER srv;
        "#,
    )
    .await;
    let listed: Vec<(&str, &str)> = s
        .unsupported
        .iter()
        .map(|u| (u.kind.as_str(), u.name.as_str()))
        .collect();
    for expected in [
        ("aggregate", "public.total(integer)"),
        ("collation", "public.ci"),
        ("foreign table", "public.ft"),
        ("operator", "public.===(integer, integer)"),
        ("publication", "pub"),
        ("range type", "public.span"),
        ("rule", "no_delete on public.t"),
        ("statistics", "public.t_stats"),
        ("trigger on view", "v_ins on public.v"),
    ] {
        assert!(listed.contains(&expected), "{expected:?} not in {listed:?}");
    }
    // The range's auto-created multirange and the aggregate are not functions.
    assert!(s.functions.iter().all(|f| f.name.name != "total"));
    assert!(s.tables.iter().all(|t| t.name.name != "ft"));
}
