//! `strata migrate`, `status` and `rollback` end to end, and bad input.

use crate::common::{assert_code, strata, Scratch};
use strata_testkit::TestDatabase;

/// A folder of migrations `(name, up, down)`.
pub fn folder(migrations: &[(&str, &str, Option<&str>)]) -> Scratch {
    let dir = Scratch::new();
    for (name, up, down) in migrations {
        dir.write(&format!("{name}/up.sql"), up);
        if let Some(down) = down {
            dir.write(&format!("{name}/down.sql"), down);
        }
    }
    dir
}

pub async fn public_tables(db: &TestDatabase) -> Vec<String> {
    db.connect()
        .await
        .query(
            "SELECT table_name::text FROM information_schema.tables WHERE table_schema = 'public' ORDER BY 1",
            &[],
        )
        .await
        .unwrap()
        .iter()
        .map(|r| r.get(0))
        .collect()
}

#[tokio::test]
async fn migrate_status_rollback_round_trip() {
    let db = TestDatabase::create().await;
    let dir = folder(&[
        (
            "0001_users",
            "CREATE TABLE users (id int);",
            Some("DROP TABLE users;"),
        ),
        (
            "0002_orders",
            "CREATE TABLE orders (id int);",
            Some("DROP TABLE orders;"),
        ),
    ]);
    let d = dir.path("");
    let dry = strata(&["migrate", "--url", db.url(), "--dir", &d, "--dry-run"]);
    assert_code(&dry, 0);
    assert!(
        dry.stdout.contains("-- would apply 0001_users"),
        "{}",
        dry.stdout
    );
    assert!(dry.stdout.contains("CREATE TABLE orders"), "{}", dry.stdout);
    assert!(
        public_tables(&db).await.is_empty(),
        "dry run changed nothing"
    );

    let run = strata(&["migrate", "--url", db.url(), "--dir", &d]);
    assert_code(&run, 0);
    assert!(run.stdout.contains("applied 0001_users"), "{}", run.stdout);
    assert!(run.stdout.contains("applied 0002_orders"), "{}", run.stdout);
    assert_eq!(public_tables(&db).await, ["orders", "users"]);

    let again = strata(&["migrate", "--url", db.url(), "--dir", &d]);
    assert_code(&again, 0);
    assert!(again.stdout.contains("up to date"), "{}", again.stdout);

    let st = strata(&["status", "--url", db.url(), "--dir", &d, "--format", "json"]);
    assert_code(&st, 0);
    let json: serde_json::Value = serde_json::from_str(&st.stdout).unwrap();
    let states: Vec<&str> = json["migrations"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["state"].as_str().unwrap())
        .collect();
    assert_eq!(states, ["applied", "applied"]);
    assert_eq!(json["tracking_table"], "strata.migrations");

    let rb = strata(&["rollback", "--url", db.url(), "--dir", &d]);
    assert_code(&rb, 0);
    assert!(
        rb.stdout.contains("rolled back 0002_orders"),
        "{}",
        rb.stdout
    );
    assert_eq!(public_tables(&db).await, ["users"]);

    let text = strata(&["status", "--url", db.url(), "--dir", &d]);
    assert_code(&text, 0);
    assert!(text.stdout.contains("pending"), "{}", text.stdout);
    assert!(
        text.stdout.contains("1 applied, 1 pending"),
        "{}",
        text.stdout
    );
}

#[tokio::test]
async fn a_custom_tracking_table_is_used() {
    let db = TestDatabase::create().await;
    let dir = folder(&[("0001_a", "CREATE TABLE a (id int);", None)]);
    let run = strata(&[
        "migrate",
        "--url",
        db.url(),
        "--dir",
        &dir.path(""),
        "--tracking-table",
        "ops.schema_history",
    ]);
    assert_code(&run, 0);
    let n: i64 = db
        .connect()
        .await
        .query_one("SELECT count(*) FROM ops.schema_history", &[])
        .await
        .unwrap()
        .get(0);
    assert_eq!(n, 1);
}

#[tokio::test]
async fn an_edited_applied_migration_is_refused_with_both_checksums() {
    let db = TestDatabase::create().await;
    let dir = folder(&[("0001_a", "CREATE TABLE a (id int);", None)]);
    assert_code(
        &strata(&["migrate", "--url", db.url(), "--dir", &dir.path("")]),
        0,
    );
    let old = strata_migrate::checksum("CREATE TABLE a (id int);");
    dir.write("0001_a/up.sql", "CREATE TABLE a (id bigint);");
    dir.write("0002_b/up.sql", "CREATE TABLE b (id int);");
    let new = strata_migrate::checksum("CREATE TABLE a (id bigint);");
    let run = strata(&["migrate", "--url", db.url(), "--dir", &dir.path("")]);
    assert_code(&run, 1);
    for needle in ["0001_a", old.as_str(), new.as_str(), "new migration"] {
        assert!(run.stderr.contains(needle), "{needle}: {}", run.stderr);
    }
    assert_eq!(public_tables(&db).await, ["a"], "0002_b did not run");
}

#[tokio::test]
async fn out_of_order_needs_the_flag() {
    let db = TestDatabase::create().await;
    let dir = folder(&[
        ("0001_a", "CREATE TABLE a (id int);", None),
        ("0003_c", "CREATE TABLE c (id int);", None),
    ]);
    assert_code(
        &strata(&["migrate", "--url", db.url(), "--dir", &dir.path("")]),
        0,
    );
    dir.write("0002_b/up.sql", "CREATE TABLE b (id int);");
    let run = strata(&["migrate", "--url", db.url(), "--dir", &dir.path("")]);
    assert_code(&run, 1);
    assert!(run.stderr.contains("0002_b"), "{}", run.stderr);
    assert!(
        run.stderr.contains("--allow-out-of-order"),
        "{}",
        run.stderr
    );
    let st = strata(&["status", "--url", db.url(), "--dir", &dir.path("")]);
    assert!(st.stdout.contains("out_of_order"), "{}", st.stdout);
    let ok = strata(&[
        "migrate",
        "--url",
        db.url(),
        "--dir",
        &dir.path(""),
        "--allow-out-of-order",
    ]);
    assert_code(&ok, 0);
    assert_eq!(public_tables(&db).await, ["a", "b", "c"]);
}

#[tokio::test]
async fn a_failed_migration_reports_what_was_applied_and_rolls_back_whole() {
    let db = TestDatabase::create().await;
    let dir = folder(&[
        ("0001_a", "CREATE TABLE a (id int);", None),
        (
            "0002_b",
            "CREATE TABLE b (id int);\n-- strata:breakpoint\nINSERT INTO missing VALUES (1);",
            None,
        ),
    ]);
    let run = strata(&["migrate", "--url", db.url(), "--dir", &dir.path("")]);
    assert_code(&run, 1);
    for needle in [
        "0002_b",
        "up.sql:3",
        "42P01",
        "0001_a",
        "rolled back as a whole",
    ] {
        assert!(run.stderr.contains(needle), "{needle}: {}", run.stderr);
    }
    assert_eq!(public_tables(&db).await, ["a"]);
}

#[tokio::test]
async fn irreversible_rollback_needs_force() {
    let db = TestDatabase::create().await;
    let dir = folder(&[(
        "0001_a",
        "CREATE TABLE a (id int);",
        Some("-- strata:irreversible drops data\nDROP TABLE a;"),
    )]);
    assert_code(
        &strata(&["migrate", "--url", db.url(), "--dir", &dir.path("")]),
        0,
    );
    let run = strata(&["rollback", "--url", db.url(), "--dir", &dir.path("")]);
    assert_code(&run, 1);
    assert!(run.stderr.contains("0001_a"), "{}", run.stderr);
    assert!(run.stderr.contains("--force"), "{}", run.stderr);
    assert_eq!(public_tables(&db).await, ["a"]);
    let forced = strata(&[
        "rollback",
        "--url",
        db.url(),
        "--dir",
        &dir.path(""),
        "--force",
    ]);
    assert_code(&forced, 0);
    assert!(public_tables(&db).await.is_empty());
}

#[tokio::test]
async fn bad_input_names_the_thing_and_the_fix_and_applies_nothing() {
    let db = TestDatabase::create().await;
    let base = strata_testkit::server().base_url.clone();

    // No database at the URL.
    let dir = folder(&[("0001_a", "CREATE TABLE a (id int);", None)]);
    let url = format!("{base}/no_such_db_here");
    let run = strata(&["migrate", "--url", &url, "--dir", &dir.path("")]);
    assert_code(&run, 1);
    assert!(run.stderr.contains("no_such_db_here"), "{}", run.stderr);
    assert!(run.stderr.contains("does not exist"), "{}", run.stderr);
    assert!(run.stderr.contains("--url"), "{}", run.stderr);

    // A folder with an unparseable name.
    let bad = folder(&[
        ("0001_a", "CREATE TABLE a (id int);", None),
        ("add_users", "CREATE TABLE users (id int);", None),
    ]);
    let run = strata(&["migrate", "--url", db.url(), "--dir", &bad.path("")]);
    assert_code(&run, 1);
    assert!(run.stderr.contains("add_users"), "{}", run.stderr);
    assert!(run.stderr.contains("<prefix>_<name>"), "{}", run.stderr);

    // Two folders with one prefix.
    let dup = folder(&[
        ("0001_a", "CREATE TABLE a (id int);", None),
        ("0001_b", "CREATE TABLE b (id int);", None),
    ]);
    let run = strata(&["migrate", "--url", db.url(), "--dir", &dup.path("")]);
    assert_code(&run, 1);
    assert!(
        run.stderr.contains("0001_a") && run.stderr.contains("0001_b"),
        "{}",
        run.stderr
    );
    assert!(run.stderr.contains("renumber"), "{}", run.stderr);

    // A missing folder.
    let run = strata(&["migrate", "--url", db.url(), "--dir", &dir.path("nope")]);
    assert_code(&run, 1);
    assert!(run.stderr.contains("nope"), "{}", run.stderr);

    // No permission to create the tracking table.
    let role = format!("strata_cli_np_{}", std::process::id());
    db.connect()
        .await
        .batch_execute(&format!(
            "DROP ROLE IF EXISTS {role}; CREATE ROLE {role} LOGIN; REVOKE CREATE ON SCHEMA public FROM PUBLIC"
        ))
        .await
        .unwrap();
    let rest = base.split_once('@').map_or(base.as_str(), |(_, r)| r);
    let url = format!("postgres://{role}:Hunter2secret@{rest}/{}", db.name);
    let run = strata(&["migrate", "--url", &url, "--dir", &dir.path("")]);
    assert_code(&run, 1);
    assert!(run.stderr.contains("strata.migrations"), "{}", run.stderr);
    assert!(run.stderr.contains("--tracking-table"), "{}", run.stderr);
    assert!(!run.stderr.contains("Hunter2secret"), "{}", run.stderr);

    assert!(public_tables(&db).await.is_empty(), "nothing half-applied");
}

#[tokio::test]
async fn an_expired_lock_wait_says_who_to_wait_for_and_what_to_raise() {
    let db = TestDatabase::create().await;
    let dir = folder(&[("0001_a", "CREATE TABLE a (id int);", None)]);
    // Another run holds the migrator lock in an open transaction.
    let holder = db.connect().await;
    holder
        .batch_execute(
            "BEGIN; SELECT pg_advisory_xact_lock(hashtextextended('strata.migrate:strata.migrations', 0));",
        )
        .await
        .unwrap();
    let run = strata(&[
        "migrate",
        "--url",
        db.url(),
        "--dir",
        &dir.path(""),
        "--lock-wait",
        "300ms",
    ]);
    assert_code(&run, 1);
    for needle in [
        "timed out after 300ms",
        "migrator lock",
        "strata.migrations",
        "--lock-wait",
    ] {
        assert!(run.stderr.contains(needle), "{needle}: {}", run.stderr);
    }
    holder.batch_execute("ROLLBACK").await.unwrap();
    assert!(public_tables(&db).await.is_empty());
}
