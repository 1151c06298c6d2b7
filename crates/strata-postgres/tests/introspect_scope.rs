//! What introspection includes: the filter, extension-owned objects, the
//! constant number of statements, and the snapshot round trip.

use strata_postgres::introspect::{introspect, introspect_with_stats};
use strata_schema::*;

#[tokio::test]
async fn filter_selects_schemas_and_tables() {
    let db = strata_testkit::TestDatabase::create().await;
    let client = db.connect().await;
    client
        .batch_execute(
            r#"
            CREATE SCHEMA app_core; CREATE SCHEMA audit;
            CREATE TABLE app_core.users (id int); CREATE TABLE app_core.audit_log (id int);
            CREATE VIEW app_core.v AS SELECT 1 AS one;
            CREATE TABLE audit.events (id int);
            CREATE TYPE audit.kind AS ENUM ('a');
            CREATE TABLE public.t (id int);
            "#,
        )
        .await
        .unwrap();
    let filter = Filter {
        schemas: vec!["app_*".into()],
        tables: vec!["!audit_*".into()],
    };
    let s = introspect(&client, &filter).await.unwrap();
    let tables: Vec<String> = s.tables.iter().map(|t| t.name.to_string()).collect();
    assert_eq!(tables, ["app_core.users"]);
    let namespaces: Vec<&str> = s.namespaces.iter().map(|n| n.name.as_str()).collect();
    assert_eq!(namespaces, ["app_core"]);
    assert_eq!(s.views.len(), 1);
    assert!(s.enums.is_empty());

    let only_v = Filter {
        schemas: vec![],
        tables: vec!["app_core.v".into()],
    };
    let s = introspect(&client, &only_v).await.unwrap();
    assert!(s.tables.is_empty());
    assert_eq!(s.views[0].name, QualifiedName::new("app_core", "v"));
    // Enums are filtered by schema only.
    assert_eq!(s.enums.len(), 1);
}

#[tokio::test]
async fn keys_name_columns_of_tables_the_filter_leaves_out() {
    let db = strata_testkit::TestDatabase::create().await;
    let client = db.connect().await;
    client
        .batch_execute(
            r#"
            CREATE SCHEMA other;
            CREATE TABLE other.parent (a int, "B c" int, PRIMARY KEY (a, "B c"));
            CREATE TABLE t (x int, "Y" int, note text,
                            FOREIGN KEY ("Y", x) REFERENCES other.parent (a, "B c"));
            CREATE MATERIALIZED VIEW mv AS SELECT x, "Y", note FROM t;
            CREATE UNIQUE INDEX mv_x ON mv (x) INCLUDE (note, "Y");
            "#,
        )
        .await
        .unwrap();
    let filter = Filter {
        schemas: vec!["!other".into()],
        tables: vec![],
    };
    let s = introspect(&client, &filter).await.unwrap();
    assert_eq!(s.tables.len(), 1);
    let fk = &s.tables[0].foreign_keys[0];
    assert_eq!(fk.columns, ["Y", "x"]);
    assert_eq!(fk.references, QualifiedName::new("other", "parent"));
    assert_eq!(fk.referenced_columns, ["a", "B c"]);
    let index = &s.views[0].indexes[0];
    assert_eq!(index.keys[0].expression, "x");
    assert_eq!(index.include, ["note", "Y"]);
}

#[tokio::test]
async fn extension_objects_are_excluded() {
    let db = strata_testkit::TestDatabase::create().await;
    let client = db.connect().await;
    client
        .batch_execute("CREATE EXTENSION citext; CREATE TABLE u (email citext NOT NULL)")
        .await
        .unwrap();
    let s = introspect(&client, &Filter::default()).await.unwrap();
    assert_eq!(s.extensions.len(), 1);
    assert_eq!(s.extensions[0].name, "citext");
    assert_eq!(s.extensions[0].schema, "public");
    assert_eq!(
        s.table(&QualifiedName::new("public", "u"))
            .unwrap()
            .column("email")
            .unwrap()
            .data_type,
        "public.citext"
    );
    // citext's functions, operators, casts and types belong to it.
    assert!(s.functions.is_empty(), "{:?}", s.functions);
    assert!(s.unsupported.is_empty(), "{:?}", s.unsupported);
    assert_eq!(s.tables.len(), 1);
}

async fn statements_for(tables: usize) -> usize {
    let db = strata_testkit::TestDatabase::create().await;
    let client = db.connect().await;
    let mut sql = String::from("CREATE TYPE mood AS ENUM ('a');");
    for i in 0..tables {
        sql.push_str(&format!(
            "CREATE TABLE t{i} (id int PRIMARY KEY, m mood, note text CHECK (note <> ''), \
             parent int REFERENCES t{i}); CREATE INDEX t{i}_note ON t{i} (note); \
             COMMENT ON TABLE t{i} IS 'x'; CREATE VIEW v{i} AS SELECT id FROM t{i};"
        ));
    }
    client.batch_execute(&sql).await.unwrap();
    let (schema, stats) = introspect_with_stats(&client, &Filter::default())
        .await
        .unwrap();
    assert_eq!(schema.tables.len(), tables);
    assert_eq!(schema.views.len(), tables);
    stats.statements
}

#[tokio::test]
async fn statement_count_does_not_grow_with_the_schema() {
    let one = statements_for(1).await;
    let fifty = statements_for(50).await;
    assert_eq!(one, fifty);
    // BEGIN, the settings, one query per object kind, COMMIT.
    assert_eq!(one, 2 + 16 + 1);
}

#[tokio::test]
async fn snapshot_round_trip() {
    let db = strata_testkit::TestDatabase::create().await;
    let client = db.connect().await;
    client
        .batch_execute(
            r#"
            CREATE TYPE mood AS ENUM ('a', 'b');
            CREATE TABLE t (id int GENERATED ALWAYS AS IDENTITY PRIMARY KEY, m mood DEFAULT 'a',
                            n text COLLATE "C" UNIQUE, CHECK (id > 0));
            CREATE TABLE c (t int REFERENCES t ON DELETE CASCADE);
            CREATE INDEX c_t ON c (t DESC NULLS LAST) WHERE t > 1;
            CREATE VIEW v AS SELECT id FROM t;
            CREATE FUNCTION f() RETURNS int LANGUAGE sql AS 'SELECT 1';
            COMMENT ON TABLE t IS 'tee';
            "#,
        )
        .await
        .unwrap();
    let schema = introspect(&client, &Filter::default()).await.unwrap();
    let snapshot = Snapshot::new(schema.clone());
    assert_eq!(
        snapshot.schema, schema,
        "introspection output is normalized"
    );
    let back = Snapshot::from_json(&snapshot.to_json()).unwrap();
    assert_eq!(back, snapshot);
}

#[tokio::test]
async fn introspecting_twice_gives_the_same_schema() {
    let db = strata_testkit::TestDatabase::create().await;
    let client = db.connect().await;
    client
        .batch_execute("CREATE TABLE t (id serial PRIMARY KEY, a text)")
        .await
        .unwrap();
    let setting = |name: &'static str| {
        let client = &client;
        async move {
            let row = client
                .query_one(&format!("SHOW {name}"), &[])
                .await
                .unwrap();
            row.get::<_, String>(0)
        }
    };
    let before = (setting("search_path").await, setting("jit").await);
    let a = introspect(&client, &Filter::default()).await.unwrap();
    let b = introspect(&client, &Filter::default()).await.unwrap();
    assert_eq!(a, b);
    // The settings introspection needs were local to its transaction.
    assert_eq!((setting("search_path").await, setting("jit").await), before);
    // The transaction was ended: the session is usable and not read-only.
    client
        .batch_execute("CREATE TABLE u (id int)")
        .await
        .unwrap();
}

#[tokio::test]
async fn one_filter_definition_for_live_databases_and_snapshots() {
    let db = strata_testkit::TestDatabase::create().await;
    let client = db.connect().await;
    client
        .batch_execute(
            r#"
            CREATE SCHEMA app_core; CREATE SCHEMA audit;
            CREATE TABLE app_core.users (id int); CREATE TABLE app_core.audit_log (id int);
            CREATE RULE keep AS ON DELETE TO app_core.audit_log DO INSTEAD NOTHING;
            CREATE TABLE audit.events (id int);
            CREATE AGGREGATE audit.total (int) (SFUNC = int4pl, STYPE = int);
            CREATE TABLE public.t (id int);
            "#,
        )
        .await
        .unwrap();
    let whole = introspect(&client, &Filter::default()).await.unwrap();
    let names =
        |s: &Schema| -> Vec<String> { s.unsupported.iter().map(|u| u.name.clone()).collect() };
    assert_eq!(
        names(&whole),
        ["audit.total(integer)", "keep on app_core.audit_log"]
    );
    let filters = [
        Filter {
            schemas: vec!["app_*".into()],
            tables: vec!["!audit_*".into()],
        },
        Filter {
            schemas: vec![],
            tables: vec!["app_core.audit_log".into()],
        },
        Filter {
            schemas: vec!["audit".into()],
            tables: vec![],
        },
    ];
    for filter in filters {
        let live = introspect(&client, &filter).await.unwrap();
        // A snapshot of the whole database, filtered afterwards, is the same.
        assert_eq!(filter.apply(whole.clone()), live, "{filter:?}");
    }
    // The rule hangs off its table, so a table filter decides for it; the
    // aggregate lives in a schema, which no schema glob excludes here.
    let only_users = Filter {
        schemas: vec![],
        tables: vec!["users".into()],
    };
    assert_eq!(names(&only_users.apply(whole)), ["audit.total(integer)"]);
}
