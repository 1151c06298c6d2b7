//! Bad input: every failure says what, where, and what to do, exits 1, and
//! never prints a password.

use crate::common::{assert_code, dev_url, strata, strata_env, Scratch};
use strata_testkit::TestDatabase;

const EMPTY_SNAPSHOT: &str =
    "{\n  \"version\": 1,\n  \"dialect\": \"postgresql\",\n  \"schema\": {}\n}\n";

#[test]
fn unreachable_server_shows_masked_url_and_reason() {
    let dir = Scratch::new();
    let snap = dir.write("s.json", EMPTY_SNAPSHOT);
    // Port 1 on loopback: nothing listens there.
    let url = "postgres://app:Hunter2secret@127.0.0.1:1/app";
    let run = strata(&["diff", "--from", url, "--to", &snap]);
    assert_code(&run, 1);
    assert_eq!(run.stdout, "");
    assert!(run.stderr.contains("--from"), "{}", run.stderr);
    assert!(run.stderr.contains("could not connect"), "{}", run.stderr);
    assert!(
        run.stderr.contains("postgres://app:****@127.0.0.1:1/app"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.to_lowercase().contains("refused"),
        "the OS reason: {}",
        run.stderr
    );
    assert!(!run.stderr.contains("Hunter2secret"), "{}", run.stderr);
}

#[tokio::test]
async fn rejected_login_shows_the_server_reason_without_the_password() {
    let db = TestDatabase::create().await;
    // Same server, a role that does not exist: the server refuses the login.
    let base = strata_testkit::server().base_url.clone();
    let rest = base.split_once('@').map_or(base.as_str(), |(_, r)| r);
    let url = format!("postgres://no_such_role:Hunter2secret@{rest}/{}", db.name);
    let run = strata(&["inspect", "--from", &url]);
    assert_code(&run, 1);
    assert!(run.stderr.contains("no_such_role:****@"), "{}", run.stderr);
    assert!(run.stderr.contains("no_such_role"), "{}", run.stderr);
    assert!(
        run.stderr.contains("does not exist"),
        "the server's reason: {}",
        run.stderr
    );
    assert!(!run.stderr.contains("Hunter2secret"), "{}", run.stderr);
}

#[tokio::test]
async fn wrong_password_shows_the_server_reason_without_the_password() {
    if std::env::var_os("STRATA_TEST_DATABASE_URL").is_some() {
        // An external server's pg_hba.conf is not ours to change.
        eprintln!("SKIPPED: needs the private test cluster (STRATA_TEST_DATABASE_URL is set)");
        return;
    }
    // The private cluster trusts everyone; make it ask this one role for a
    // password (first matching pg_hba line wins, so others are unaffected).
    let admin = strata_testkit::connect_url(&dev_url()).await;
    let role = format!("strata_pw_{}", std::process::id());
    admin
        .batch_execute(&format!(
            "CREATE ROLE {role} LOGIN PASSWORD 'the-right-one'"
        ))
        .await
        .unwrap();
    let hba: String = admin.query_one("SHOW hba_file", &[]).await.unwrap().get(0);
    let rules = std::fs::read_to_string(&hba).unwrap();
    std::fs::write(
        &hba,
        format!("host all {role} 127.0.0.1/32 scram-sha-256\n{rules}"),
    )
    .unwrap();
    admin
        .batch_execute("SELECT pg_reload_conf()")
        .await
        .unwrap();

    let base = strata_testkit::server().base_url.clone();
    let host = base.split_once('@').map_or(base.as_str(), |(_, r)| r);
    let url = format!("postgres://{role}:Hunter2wrong@{host}/postgres");
    let run = strata(&["inspect", "--from", &url]);
    let _ = admin.batch_execute(&format!("DROP ROLE {role}")).await;
    assert_code(&run, 1);
    assert!(
        run.stderr.contains(&format!("{role}:****@{host}")),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains("password authentication failed"),
        "the server's reason: {}",
        run.stderr
    );
    assert!(!run.stderr.contains("Hunter2wrong"), "{}", run.stderr);
}

#[test]
fn unreachable_dev_server_masks_its_password() {
    let dir = Scratch::new();
    let file = dir.write("schema.sql", "CREATE TABLE t (id int);");
    let run = strata(&[
        "inspect",
        "--from",
        &file,
        "--dev-url",
        "postgresql://me:Hunter2secret@127.0.0.1:1/postgres",
    ]);
    assert_code(&run, 1);
    assert!(
        run.stderr
            .contains("postgresql://me:****@127.0.0.1:1/postgres"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains("--dev-url"),
        "what to fix: {}",
        run.stderr
    );
    assert!(!run.stderr.contains("Hunter2secret"), "{}", run.stderr);
}

#[tokio::test]
async fn failing_sql_file_points_at_line_and_column_and_drops_the_shadow() {
    let dir = Scratch::new();
    // Line 3, column 19 is `no_such_type`; the é makes bytes and characters differ.
    let file = dir.write(
        "broken.sql",
        "-- café\nCREATE TABLE a (id int);\nCREATE TABLE b (x no_such_type);\n",
    );
    let dev = dev_url();
    let run = strata(&["inspect", "--from", &file, "--dev-url", &dev]);
    assert_code(&run, 1);
    assert_eq!(run.stdout, "");
    assert!(
        run.stderr.contains(&format!("{file}:3:19")),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains("type \"no_such_type\" does not exist"),
        "the server's message: {}",
        run.stderr
    );
    assert!(run.stderr.contains("42704"), "the SQLSTATE: {}", run.stderr);

    // The throw-away database is gone even though applying failed.
    let admin = strata_testkit::connect_url(&dev).await;
    let pattern = format!("strata_shadow_{}_%", run.pid);
    let left: i64 = admin
        .query_one(
            "SELECT count(*) FROM pg_database WHERE datname LIKE $1",
            &[&pattern],
        )
        .await
        .unwrap()
        .get(0);
    assert_eq!(left, 0, "shadow database left behind");
}

#[test]
fn failing_file_in_a_folder_is_named() {
    let dir = Scratch::new();
    dir.write("schema/01_ok.sql", "CREATE TABLE a (id int);");
    // The server gives no position for this error: the failing statement is found.
    let bad = dir.write(
        "schema/02_bad.sql",
        "-- b refers to a\nCREATE TABLE c (id int);\n\nCREATE TABLE b (id int REFERENCES a (nope));\n",
    );
    let dev = dev_url();
    let run = strata(&["inspect", "--from", &dir.path("schema"), "--dev-url", &dev]);
    assert_code(&run, 1);
    assert!(run.stderr.contains(&format!("{bad}:4:1")), "{}", run.stderr);
    assert!(run.stderr.contains("column \"nope\""), "{}", run.stderr);
}

#[test]
fn sql_source_without_dev_url_says_which_flag_to_set() {
    let dir = Scratch::new();
    let file = dir.write("schema.sql", "CREATE TABLE t (id int);");
    let snap = dir.write("s.json", EMPTY_SNAPSHOT);
    let run = strata(&["diff", "--from", &snap, "--to", &file]);
    assert_code(&run, 1);
    assert!(run.stderr.contains("--to"), "{}", run.stderr);
    assert!(run.stderr.contains(&file), "{}", run.stderr);
    assert!(run.stderr.contains("--dev-url"), "{}", run.stderr);
    assert!(run.stderr.contains("STRATA_DEV_URL"), "{}", run.stderr);
}

#[test]
fn malformed_snapshot_shows_file_line_and_column() {
    let dir = Scratch::new();
    let snap = dir.write(
        "bad.json",
        "{\n  \"version\": 1,\n  \"dialect\": \"postgresql\",\n  \"schema\": { oops }\n}\n",
    );
    let run = strata(&["inspect", "--from", &snap]);
    assert_code(&run, 1);
    assert!(
        run.stderr.contains(&format!("{snap}:4:15")),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains("malformed snapshot JSON"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains("strata inspect"),
        "what to do: {}",
        run.stderr
    );
}

#[test]
fn snapshot_from_a_newer_strata_says_upgrade() {
    let dir = Scratch::new();
    let snap = dir.write(
        "new.json",
        "{\"version\": 99, \"dialect\": \"postgresql\", \"schema\": {}, \"future\": true}",
    );
    let run = strata(&["inspect", "--from", &snap]);
    assert_code(&run, 1);
    assert!(run.stderr.contains(&snap), "{}", run.stderr);
    assert!(run.stderr.contains("version 99"), "{}", run.stderr);
    assert!(run.stderr.contains("upgrade"), "{}", run.stderr);
}

#[test]
fn missing_source_path() {
    let dir = Scratch::new();
    let missing = dir.path("nope/schema.sql");
    let run = strata(&["inspect", "--from", &missing]);
    assert_code(&run, 1);
    assert!(run.stderr.contains(&missing), "{}", run.stderr);
    assert!(
        run.stderr.contains("no such file or folder"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains("postgres:// URL"),
        "what a source is: {}",
        run.stderr
    );
}

#[test]
fn invalid_rename_is_reported_before_any_work() {
    let dir = Scratch::new();
    let snap = dir.write("s.json", EMPTY_SNAPSHOT);
    for bad in ["bogus", "column:users=name", "table:public.a"] {
        let run = strata(&["diff", "--from", &snap, "--to", &snap, "--rename", bad]);
        assert_code(&run, 1);
        assert!(
            run.stderr.contains(&format!("invalid --rename `{bad}`")),
            "{}",
            run.stderr
        );
        assert!(run.stderr.contains("KIND:OLD=NEW"), "{}", run.stderr);
    }
}

#[test]
fn usage_errors_exit_1_not_2() {
    let run = strata(&["diff", "--from", "x.json"]);
    assert_code(&run, 1);
    assert!(run.stderr.contains("--to"), "{}", run.stderr);
}

#[test]
fn unsupported_objects_are_named_on_stderr() {
    let dir = Scratch::new();
    let snap = dir.write(
        "s.json",
        "{\"version\": 1, \"dialect\": \"postgresql\", \"schema\": {\"unsupported\": [
            {\"kind\": \"aggregate\", \"name\": \"public.total(integer)\"},
            {\"kind\": \"rule\", \"name\": \"public.t.r\"}]}}",
    );
    let empty = dir.write("e.json", EMPTY_SNAPSHOT);
    let run = strata(&["diff", "--from", &empty, "--to", &snap, "--exit-code"]);
    assert_code(&run, 0);
    let lines: Vec<&str> = run.stderr.lines().collect();
    assert_eq!(lines.len(), 2, "{}", run.stderr);
    assert!(
        lines[0].contains("aggregate public.total(integer)"),
        "{}",
        run.stderr
    );
    assert!(lines[1].contains("rule public.t.r"), "{}", run.stderr);
    for l in lines {
        assert!(
            l.contains("(in --to)") && l.contains("not modelled, left untouched"),
            "{l}"
        );
    }
}

#[tokio::test]
async fn unsupported_objects_of_a_live_database_are_named() {
    let db = TestDatabase::create().await;
    db.connect()
        .await
        .batch_execute(
            "CREATE FUNCTION add2(int, int) RETURNS int LANGUAGE sql AS 'SELECT $1 + $2';
             CREATE AGGREGATE total(int) (SFUNC = add2, STYPE = int);",
        )
        .await
        .unwrap();
    let run = strata(&["diff", "--from", db.url(), "--to", db.url()]);
    assert_code(&run, 0);
    assert!(
        run.stderr.lines().any(|l| l.contains("total")
            && l.contains("not modelled, left untouched")
            && l.contains("--from and --to")),
        "{}",
        run.stderr
    );
}

#[test]
fn dev_url_from_env_is_masked_too() {
    let dir = Scratch::new();
    let file = dir.write("schema.sql", "CREATE TABLE t (id int);");
    let run = strata_env(
        &["inspect", "--from", &file],
        &[(
            "STRATA_DEV_URL",
            "postgres://me:Hunter2secret@127.0.0.1:1/postgres",
        )],
    );
    assert_code(&run, 1);
    assert!(!run.stderr.contains("Hunter2secret"), "{}", run.stderr);
    assert!(run.stderr.contains("me:****@"), "{}", run.stderr);
}

#[test]
fn rename_of_an_object_that_does_not_exist_is_an_error() {
    let dir = Scratch::new();
    let snap = dir.write("s.json", EMPTY_SNAPSHOT);
    let run = strata(&[
        "diff",
        "--from",
        &snap,
        "--to",
        &snap,
        "--rename",
        "table:public.nope=users",
    ]);
    assert_code(&run, 1);
    assert!(
        run.stderr.contains("table:public.nope=users"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains("--from"),
        "what to check: {}",
        run.stderr
    );
}
