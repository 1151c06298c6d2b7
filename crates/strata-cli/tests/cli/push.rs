//! `strata push`: live database -> desired schema, with data checks.

use crate::common::{assert_code, dev_url, strata, Scratch};
use crate::migrate::{folder, public_tables};
use strata_testkit::TestDatabase;

fn push(db: &TestDatabase, schema: &str, extra: &[&str]) -> crate::common::Run {
    let dir = Scratch::new();
    let sql = dir.write("schema.sql", schema);
    let dev = dev_url();
    let mut args = vec!["push", "--url", db.url(), "--to", &sql, "--dev-url", &dev];
    args.extend_from_slice(extra);
    strata(&args)
}

#[tokio::test]
async fn push_applies_the_difference_and_leaves_the_tracking_table_alone() {
    let db = TestDatabase::create().await;
    // A migrated database: its tracking table must survive the push.
    let migrations = folder(&[("0001_a", "CREATE TABLE a (id int);", None)]);
    assert_code(
        &strata(&["migrate", "--url", db.url(), "--dir", &migrations.path("")]),
        0,
    );

    let schema = "CREATE TABLE a (id int, name text);\nCREATE TABLE b (id int PRIMARY KEY);\n";
    let dry = push(&db, schema, &["--dry-run"]);
    assert_code(&dry, 0);
    assert!(dry.stdout.contains("ADD COLUMN"), "{}", dry.stdout);
    assert_eq!(public_tables(&db).await, ["a"], "dry run changed nothing");

    let run = push(&db, schema, &[]);
    assert_code(&run, 0);
    assert!(run.stdout.contains("in one transaction"), "{}", run.stdout);
    assert_eq!(public_tables(&db).await, ["a", "b"]);
    let n: i64 = db
        .connect()
        .await
        .query_one("SELECT count(*) FROM strata.migrations", &[])
        .await
        .unwrap()
        .get(0);
    assert_eq!(n, 1, "the tracking table is untouched");

    let again = push(&db, schema, &[]);
    assert_code(&again, 0);
    assert!(again.stdout.contains("nothing to push"), "{}", again.stdout);
}

#[tokio::test]
async fn destructive_changes_need_accept_data_loss_without_a_terminal() {
    let db = TestDatabase::create().await;
    db.connect()
        .await
        .batch_execute(
            "CREATE TABLE keep (id int); CREATE TABLE gone (id int); INSERT INTO gone VALUES (1);",
        )
        .await
        .unwrap();
    let schema = "CREATE TABLE keep (id int);\n";
    let run = push(&db, schema, &[]);
    assert_code(&run, 1);
    assert!(run.stderr.contains("gone"), "{}", run.stderr);
    assert!(run.stderr.contains("--accept-data-loss"), "{}", run.stderr);
    assert_eq!(public_tables(&db).await, ["gone", "keep"]);
    let ok = push(&db, schema, &["--accept-data-loss"]);
    assert_code(&ok, 0);
    assert_eq!(public_tables(&db).await, ["keep"]);
}

#[tokio::test]
async fn not_null_and_unique_violations_are_counted_before_anything_runs() {
    let db = TestDatabase::create().await;
    db.connect()
        .await
        .batch_execute(
            "CREATE TABLE users (id int, email text, name text);
             INSERT INTO users VALUES (1, 'a@x', NULL), (2, 'a@x', NULL), (3, 'a@x', 'c'), (4, NULL, 'd'), (5, NULL, 'e');",
        )
        .await
        .unwrap();
    let schema = "CREATE TABLE users (id int, email text UNIQUE, name text NOT NULL);\nCREATE TABLE extra (id int);\n";
    let run = push(&db, schema, &["--accept-data-loss"]);
    assert_code(&run, 1);
    assert!(
        run.stderr
            .contains("NOT NULL on public.users(name): 2 row(s)"),
        "{}",
        run.stderr
    );
    // Three rows share 'a@x'; the two NULL emails do not collide.
    assert!(
        run.stderr.contains("public.users(email): 3 row(s)"),
        "{}",
        run.stderr
    );
    assert_eq!(public_tables(&db).await, ["users"], "nothing ran");
}

#[tokio::test]
async fn non_transactional_statements_run_after_the_transaction_and_are_reported() {
    let db = TestDatabase::create().await;
    db.connect()
        .await
        .batch_execute("CREATE TYPE mood AS ENUM ('ok');")
        .await
        .unwrap();
    let schema = "CREATE TYPE mood AS ENUM ('ok', 'great');\nCREATE TABLE t (id int);\n";
    let run = push(&db, schema, &[]);
    assert_code(&run, 0);
    assert!(
        run.stdout.contains("ran after the transaction"),
        "{}",
        run.stdout
    );
    assert!(run.stdout.contains("ADD VALUE"), "{}", run.stdout);
    let labels: i64 = db
        .connect()
        .await
        .query_one(
            "SELECT count(*) FROM pg_enum WHERE enumtypid = 'mood'::regtype",
            &[],
        )
        .await
        .unwrap()
        .get(0);
    assert_eq!(labels, 2);
}

/// Sets `nulls_not_distinct` on every unique constraint of a snapshot.
fn with_nulls_not_distinct(value: &mut serde_json::Value) {
    match value {
        serde_json::Value::Object(map) => {
            if let Some(serde_json::Value::Array(uniques)) = map.get_mut("uniques") {
                for unique in uniques {
                    unique["nulls_not_distinct"] = true.into();
                }
            }
            map.values_mut().for_each(with_nulls_not_distinct);
        }
        serde_json::Value::Array(items) => items.iter_mut().for_each(with_nulls_not_distinct),
        _ => {}
    }
}

/// A push that needs a newer server (NULLS NOT DISTINCT is PostgreSQL 15)
/// is refused by name before anything runs, instead of failing halfway on
/// a syntax error; a server that has the feature gets it.
#[tokio::test]
async fn a_feature_newer_than_the_server_is_refused_before_anything_runs() {
    let shape = TestDatabase::create().await;
    shape
        .connect()
        .await
        .batch_execute(
            "CREATE TABLE accounts (email text, CONSTRAINT accounts_email_key UNIQUE (email))",
        )
        .await
        .unwrap();
    let inspected = strata(&["inspect", "--from", shape.url()]);
    assert_code(&inspected, 0);
    let mut snapshot: serde_json::Value = serde_json::from_str(&inspected.stdout).unwrap();
    with_nulls_not_distinct(&mut snapshot);
    let dir = Scratch::new();
    let to = dir.write("snapshot.json", &snapshot.to_string());

    let db = TestDatabase::create().await;
    let client = db.connect().await;
    client
        .batch_execute("CREATE TABLE accounts (email text)")
        .await
        .unwrap();
    let run = strata(&["push", "--url", db.url(), "--to", &to]);
    let version = strata_testkit::server_version().await;
    let constraints: i64 = client
        .query_one(
            "SELECT count(*) FROM pg_constraint WHERE conname = 'accounts_email_key'",
            &[],
        )
        .await
        .unwrap()
        .get(0);
    if version.major() < 15 {
        assert_code(&run, 1);
        for part in [
            "strata::push::server_version",
            &format!("the server runs PostgreSQL {version}"),
            "unique accounts_email_key on public.accounts uses NULLS NOT DISTINCT, which needs PostgreSQL 15 or newer",
            "nothing was changed",
        ] {
            assert!(run.stderr.contains(part), "{part:?} in:\n{}", run.stderr);
        }
        assert_eq!(constraints, 0, "nothing ran");
    } else {
        assert_code(&run, 0);
        assert_eq!(constraints, 1);
        let nulls_not_distinct: bool = client
            .query_one(
                "SELECT indnullsnotdistinct FROM pg_index WHERE indexrelid = 'accounts_email_key'::regclass",
                &[],
            )
            .await
            .unwrap()
            .get(0);
        assert!(nulls_not_distinct);
    }
}
