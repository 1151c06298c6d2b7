//! Generated migrations on a real server: up takes the database to the
//! code's schema (introspection then diffs empty), down takes it back, and a
//! second generate finds nothing to do. Each test its own database.

use std::path::PathBuf;
use std::time::SystemTime;
use strata_migrate::{check, current_state, draft, WriteOptions};
use strata_postgres::source::{empty_database, load, Source};
use strata_schema::{
    diff, Column, Filter, ForeignKey, PrimaryKey, QualifiedName, RenameHint, RenameHints, Schema,
    Table,
};
use strata_testkit::TestDatabase;

fn column(name: &str, data_type: &str, not_null: bool) -> Column {
    Column {
        name: name.into(),
        data_type: data_type.into(),
        not_null,
        default: None,
        identity: None,
        generated: None,
        collation: None,
        comment: None,
        grants: vec![],
    }
}

fn table(name: &str, columns: Vec<Column>) -> Table {
    let mut t = Table::new(QualifiedName::new("public", name), columns);
    t.primary_key = Some(PrimaryKey {
        name: format!("{name}_pkey"),
        columns: vec!["id".into()],
        include: vec![],
        deferrable: Default::default(),
        comment: None,
    });
    t
}

/// v1: users(id, full_name). v2: full_name renamed to name, posts(id, author -> users).
fn schema(version: u32) -> Schema {
    let mut s = empty_database();
    let name = if version == 1 { "full_name" } else { "name" };
    s.tables.push(table(
        "users",
        vec![column("id", "bigint", true), column(name, "text", false)],
    ));
    if version >= 2 {
        let mut posts = table(
            "posts",
            vec![
                column("id", "bigint", true),
                column("author", "bigint", true),
            ],
        );
        posts.foreign_keys.push(ForeignKey {
            name: "posts_author_fkey".into(),
            columns: vec!["author".into()],
            references: QualifiedName::new("public", "users"),
            referenced_columns: vec!["id".into()],
            on_delete: Default::default(),
            on_update: Default::default(),
            match_full: false,
            deferrable: Default::default(),
            not_valid: false,
            comment: None,
        });
        s.tables.push(posts);
    }
    s.normalize();
    s
}

fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("strata-migrate-rt-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    dir
}

fn options(name: &str) -> WriteOptions {
    WriteOptions {
        name: name.into(),
        style: None,
        custom: false,
        now: SystemTime::now(),
    }
}

async fn introspect(db: &TestDatabase) -> Schema {
    load(&Source::Url(db.url().into()), None, &Filter::default())
        .await
        .unwrap()
}

async fn assert_matches(db: &TestDatabase, expected: &Schema) {
    let actual = introspect(db).await;
    let left = diff(&actual, expected, &RenameHints::default()).unwrap();
    assert!(
        left.is_empty(),
        "database differs from the schema: {left:#?}"
    );
}

#[tokio::test]
async fn generate_apply_down_and_regenerate() {
    let db = TestDatabase::create().await;
    let client = db.connect().await;
    let dir = scratch("main");
    let none = RenameHints::default();

    let first = draft(&dir, &schema(1), &none, &none).unwrap();
    let w1 = first.write(&options("init")).unwrap();
    client
        .batch_execute(&std::fs::read_to_string(w1.path.join("up.sql")).unwrap())
        .await
        .unwrap();
    assert_matches(&db, &schema(1)).await;
    assert!(draft(&dir, &schema(1), &none, &none).unwrap().is_empty());
    client
        .batch_execute("INSERT INTO users VALUES (1, 'Ada')")
        .await
        .unwrap();

    // The rename comes from code; it applies to this generate only.
    let in_code = RenameHints::new(vec![RenameHint::parse(
        "column:public.users.full_name=name",
    )
    .unwrap()]);
    let second = draft(&dir, &schema(2), &none, &in_code).unwrap();
    assert!(second.possible_renames().is_empty());
    let w2 = second.write(&options("posts")).unwrap();
    assert_eq!(w2.snapshot.parent.as_deref(), Some(w1.snapshot.id.as_str()));
    client
        .batch_execute(&std::fs::read_to_string(w2.path.join("up.sql")).unwrap())
        .await
        .unwrap();
    assert_matches(&db, &schema(2)).await;
    let name: String = client
        .query_one("SELECT name FROM users WHERE id = 1", &[])
        .await
        .unwrap()
        .get(0);
    assert_eq!(name, "Ada");
    assert!(draft(&dir, &schema(2), &none, &in_code).unwrap().is_empty());

    // down.sql: back to v1, data kept through the reverse rename.
    client
        .batch_execute(&std::fs::read_to_string(w2.path.join("down.sql")).unwrap())
        .await
        .unwrap();
    assert_matches(&db, &schema(1)).await;
    let name: String = client
        .query_one("SELECT full_name FROM users WHERE id = 1", &[])
        .await
        .unwrap()
        .get(0);
    assert_eq!(name, "Ada");
    client
        .batch_execute(&std::fs::read_to_string(w1.path.join("down.sql")).unwrap())
        .await
        .unwrap();
    assert_matches(&db, &empty_database()).await;

    assert_eq!(check(&dir).unwrap(), []);
    assert_eq!(current_state(&dir).unwrap().schema, schema(2));
    std::fs::remove_dir_all(dir).unwrap();
}
