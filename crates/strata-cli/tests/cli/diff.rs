//! `strata diff` between live databases, SQL files, folders and snapshots.

use crate::common::{assert_code, dev_url, strata, strata_env, Scratch};
use strata_testkit::TestDatabase;

const USERS_SQL: &str = "\
CREATE TYPE mood AS ENUM ('happy', 'sad');
CREATE TABLE users (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    email text NOT NULL UNIQUE,
    mood mood DEFAULT 'happy'
);
CREATE INDEX users_mood_idx ON users (mood);
";

#[tokio::test]
async fn diff_database_to_sql_file_then_no_drift() {
    let db = TestDatabase::create().await;
    let dir = Scratch::new();
    let file = dir.write("schema.sql", USERS_SQL);
    let dev = dev_url();

    let run = strata(&["diff", "--from", db.url(), "--to", &file, "--dev-url", &dev]);
    assert_code(&run, 0);
    assert!(
        run.stdout.to_lowercase().contains("create table"),
        "{}",
        run.stdout
    );

    // The SQL takes the database to the file's schema...
    db.connect().await.batch_execute(&run.stdout).await.unwrap();
    // ...so a drift check now finds nothing, prints nothing and exits 0.
    let run = strata(&[
        "diff",
        "--from",
        db.url(),
        "--to",
        &file,
        "--dev-url",
        &dev,
        "--exit-code",
    ]);
    assert_code(&run, 0);
    assert_eq!(run.stdout, "");
}

#[tokio::test]
async fn diff_database_to_sql_folder_in_file_name_order_with_env_dev_url() {
    let db = TestDatabase::create().await;
    let dir = Scratch::new();
    // 02 (in a sub-folder) uses the type from 01: order is by file name, recursively.
    dir.write(
        "schema/tables/02_tables.sql",
        "CREATE TABLE posts (id int PRIMARY KEY, state state NOT NULL);",
    );
    dir.write(
        "schema/01_types.sql",
        "CREATE TYPE state AS ENUM ('draft', 'live');",
    );
    dir.write("schema/README.md", "not SQL: ignored");
    let folder = dir.path("schema");
    let dev = dev_url();
    let env = [("STRATA_DEV_URL", dev.as_str())];

    let run = strata_env(
        &["diff", "--from", db.url(), "--to", &folder, "--exit-code"],
        &env,
    );
    assert_code(&run, 2);
    db.connect().await.batch_execute(&run.stdout).await.unwrap();

    let run = strata_env(
        &["diff", "--from", db.url(), "--to", &folder, "--exit-code"],
        &env,
    );
    assert_code(&run, 0);
    assert_eq!(run.stdout, "");
}

#[tokio::test]
async fn diff_snapshot_against_database_exit_codes() {
    let db = TestDatabase::create().await;
    let client = db.connect().await;
    client.batch_execute(USERS_SQL).await.unwrap();
    let dir = Scratch::new();

    let run = strata(&["inspect", "--from", db.url()]);
    assert_code(&run, 0);
    let snapshot = dir.write("snapshot.json", &run.stdout);

    // Same schema: exit 0, nothing printed, in both directions.
    for (from, to) in [(snapshot.as_str(), db.url()), (db.url(), snapshot.as_str())] {
        let run = strata(&["diff", "--from", from, "--to", to, "--exit-code"]);
        assert_code(&run, 0);
        assert_eq!(run.stdout, "");
    }

    // Drift: exit 2 with --exit-code, 0 without; the SQL is printed either way.
    client
        .batch_execute("ALTER TABLE users ADD COLUMN age int")
        .await
        .unwrap();
    let run = strata(&["diff", "--from", &snapshot, "--to", db.url(), "--exit-code"]);
    assert_code(&run, 2);
    assert!(run.stdout.contains("age"), "{}", run.stdout);
    let run = strata(&["diff", "--from", &snapshot, "--to", db.url()]);
    assert_code(&run, 0);
    assert!(run.stdout.contains("age"), "{}", run.stdout);
}

#[tokio::test]
async fn diff_format_json_lists_classified_changes_and_warns_on_data_loss() {
    let db = TestDatabase::create().await;
    db.connect()
        .await
        .batch_execute("CREATE TABLE users (id int PRIMARY KEY, age int)")
        .await
        .unwrap();
    let dir = Scratch::new();
    let file = dir.write("schema.sql", "CREATE TABLE users (id int PRIMARY KEY);");
    let dev = dev_url();

    let run = strata(&[
        "diff",
        "--from",
        db.url(),
        "--to",
        &file,
        "--dev-url",
        &dev,
        "--format",
        "json",
    ]);
    assert_code(&run, 0);
    let changes: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    let changes = changes.as_array().expect("a JSON array of changes");
    assert_eq!(changes.len(), 1, "{}", run.stdout);
    assert!(changes[0]["change"].is_object(), "{}", run.stdout);
    let destructive = changes[0]["classification"]["destructive"]
        .as_str()
        .unwrap();
    assert!(destructive.contains("age"), "{destructive}");
    // The same drop, as SQL, warns on stderr (one line naming the column).
    let run = strata(&["diff", "--from", db.url(), "--to", &file, "--dev-url", &dev]);
    assert_code(&run, 0);
    let warnings: Vec<&str> = run
        .stderr
        .lines()
        .filter(|l| l.starts_with("warning: destructive"))
        .collect();
    assert_eq!(warnings.len(), 1, "{}", run.stderr);
    assert!(warnings[0].contains("age"), "{}", run.stderr);

    // No changes in JSON: an empty list, exit 0.
    let run = strata(&[
        "diff",
        "--from",
        &file,
        "--to",
        &file,
        "--dev-url",
        &dev,
        "--format",
        "json",
    ]);
    assert_code(&run, 0);
    assert_eq!(run.stdout.trim(), "[]");
}

#[tokio::test]
async fn diff_with_rename_hint_renames_instead_of_drop_and_add() {
    let db = TestDatabase::create().await;
    db.connect()
        .await
        .batch_execute("CREATE TABLE users (id int PRIMARY KEY, full_name text)")
        .await
        .unwrap();
    let dir = Scratch::new();
    let file = dir.write(
        "schema.sql",
        "CREATE TABLE users (id int PRIMARY KEY, name text);",
    );
    let dev = dev_url();
    let run = strata(&[
        "diff",
        "--from",
        db.url(),
        "--to",
        &file,
        "--dev-url",
        &dev,
        "--rename",
        "column:public.users.full_name=name",
    ]);
    assert_code(&run, 0);
    assert!(
        run.stdout.to_uppercase().contains("RENAME"),
        "{}",
        run.stdout
    );
    assert!(!run.stderr.contains("destructive"), "{}", run.stderr);
}

#[tokio::test]
async fn schema_and_table_filters_limit_what_is_compared() {
    let db = TestDatabase::create().await;
    let dir = Scratch::new();
    let file = dir.write(
        "schema.sql",
        "CREATE SCHEMA app; CREATE TABLE app.a (id int); CREATE TABLE public.b (id int); CREATE TABLE public.audit_log (id int);",
    );
    let dev = dev_url();
    let run = strata(&[
        "diff",
        "--from",
        db.url(),
        "--to",
        &file,
        "--dev-url",
        &dev,
        "--schema",
        "public",
        "--table",
        "!audit_*",
    ]);
    assert_code(&run, 0);
    assert!(run.stdout.contains(r#""public"."b""#), "{}", run.stdout);
    assert!(!run.stdout.contains("audit_log"), "{}", run.stdout);
    assert!(!run.stdout.contains(r#""app""#), "{}", run.stdout);
}
