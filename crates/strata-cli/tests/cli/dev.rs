//! `strata dev`: the project's own PostgreSQL, driven as a user would, from
//! start to stop, with data kept across restarts until `reset`.

use crate::common::{assert_code, strata_at, Run, Scratch};
use std::path::Path;

/// Stops the project's dev database when the test ends, pass or fail.
struct StopOnDrop<'a>(&'a Path);

impl Drop for StopOnDrop<'_> {
    fn drop(&mut self) {
        strata_at(self.0, &["dev", "stop"], &[]);
    }
}

fn dev(dir: &Path, args: &[&str]) -> Run {
    let mut all = vec!["dev"];
    all.extend(args);
    strata_at(dir, &all, &[])
}

fn json(text: &str) -> serde_json::Value {
    serde_json::from_str(text).unwrap_or_else(|e| panic!("{e}: {text}"))
}

#[test]
fn dev_database_lifecycle() {
    let project = Scratch::new();
    project.write("strata.toml", "[migrations]\ndir = \"migrations\"\n");
    let dir = project.0.as_path();
    let _stop = StopOnDrop(dir);

    let status = dev(dir, &["status", "--format", "json"]);
    assert_code(&status, 0);
    assert_eq!(json(&status.stdout)["state"], "not created");

    let start = dev(dir, &["start"]);
    assert_code(&start, 0);
    assert!(
        start.stdout.contains("dev database started"),
        "{}",
        start.stdout
    );
    let url = dev(dir, &["url"]).stdout.trim().to_string();
    assert!(url.starts_with("postgres://postgres@127.0.0.1:"), "{url}");
    assert!(url.ends_with("/dev"), "{url}");
    assert!(start.stdout.contains(&url), "{}", start.stdout);
    // The port is remembered in .strata/ (kept out of git).
    let port = std::fs::read_to_string(dir.join(".strata/dev/port")).unwrap();
    assert!(
        url.contains(&format!(":{}/", port.trim())),
        "{url} vs {port}"
    );
    assert_eq!(
        std::fs::read_to_string(dir.join(".strata/.gitignore")).unwrap(),
        "*\n"
    );

    let again = dev(dir, &["start"]);
    assert_code(&again, 0);
    assert!(again.stdout.contains("already running"), "{}", again.stdout);

    let status = dev(dir, &["status", "--format", "json"]);
    let status = json(&status.stdout);
    assert_eq!(status["state"], "running");
    assert_eq!(status["url"], url.as_str());
    let text = dev(dir, &["status"]);
    assert!(
        text.stdout.contains("dev database running"),
        "{}",
        text.stdout
    );

    let psql = dev(
        dir,
        &[
            "psql",
            "-c",
            "CREATE TABLE kept (id int); INSERT INTO kept VALUES (42)",
        ],
    );
    assert_code(&psql, 0);
    let count = |dir: &Path| dev(dir, &["psql", "-At", "-c", "SELECT id FROM kept"]);
    assert_eq!(count(dir).stdout.trim(), "42");

    // Stop, start again: the data is still there, on the same port.
    let stop = dev(dir, &["stop"]);
    assert_code(&stop, 0);
    assert!(stop.stdout.contains("stopped"), "{}", stop.stdout);
    assert_eq!(
        json(&dev(dir, &["status", "--format", "json"]).stdout)["state"],
        "stopped"
    );
    let psql_stopped = dev(dir, &["psql", "-c", "select 1"]);
    assert_code(&psql_stopped, 1);
    assert!(
        psql_stopped.stderr.contains("strata dev start"),
        "{}",
        psql_stopped.stderr
    );
    assert_code(&dev(dir, &["start"]), 0);
    assert_eq!(dev(dir, &["url"]).stdout.trim(), url);
    assert_eq!(count(dir).stdout.trim(), "42");

    // The dev database's server is where diff makes its shadow databases
    // when no --dev-url is given.
    project.write(
        "schema/app.sql",
        "CREATE TABLE app_users (id bigint PRIMARY KEY);\n",
    );
    let diff = strata_at(dir, &["diff", "--from", &url, "--to", "schema/"], &[]);
    assert_code(&diff, 0);
    assert!(
        diff.stdout
            .contains("CREATE TABLE \"public\".\"app_users\""),
        "{}",
        diff.stdout
    );
    assert!(
        diff.stdout.contains("DROP TABLE \"public\".\"kept\""),
        "{}",
        diff.stdout
    );

    // The server log is there.
    let logs = dev(dir, &["logs", "-n", "5"]);
    assert_code(&logs, 0);
    assert!(!logs.stdout.is_empty());
    assert!(logs.stdout.lines().count() <= 5, "{}", logs.stdout);

    // reset: an empty database.
    let reset = dev(dir, &["reset"]);
    assert_code(&reset, 0);
    let gone = count(dir);
    assert_code(&gone, 1);
    assert!(gone.stderr.contains("does not exist"), "{}", gone.stderr);
    assert_code(&dev(dir, &["psql", "-c", "CREATE TABLE again (x int)"]), 0);

    // fresh = reset + the project's migrations.
    project.write(
        "migrations/0001_books/up.sql",
        "CREATE TABLE books (id int);\n",
    );
    let fresh = dev(dir, &["fresh"]);
    assert_code(&fresh, 0);
    assert!(fresh.stdout.contains("recreated"), "{}", fresh.stdout);
    assert!(fresh.stderr.contains("0001_books"), "{}", fresh.stderr);
    assert_code(&dev(dir, &["psql", "-c", "select * from again"]), 1);
    assert_code(&dev(dir, &["psql", "-c", "select * from books"]), 0);

    assert_code(&dev(dir, &["stop"]), 0);
    let stop_again = dev(dir, &["stop"]);
    assert_code(&stop_again, 0);
    assert!(
        stop_again.stdout.contains("was not running"),
        "{}",
        stop_again.stdout
    );
    assert!(!start.stdout.contains('\x1b'), "no colour off a terminal");
}

#[test]
fn missing_server_binaries_name_the_package() {
    let project = Scratch::new();
    let run = strata_at(
        &project.0,
        &["dev", "start"],
        &[("STRATA_PG_BINDIR", "/nonexistent/bin")],
    );
    assert_code(&run, 1);
    assert!(run.stderr.contains("server binaries"), "{}", run.stderr);
    assert!(run.stderr.contains("`postgresql`"), "{}", run.stderr);
    assert!(
        !project.0.join(".strata").exists(),
        "nothing written on failure"
    );
}

#[test]
fn reset_needs_a_running_database() {
    let project = Scratch::new();
    let run = dev(&project.0, &["reset"]);
    assert_code(&run, 1);
    assert!(run.stderr.contains("not running"), "{}", run.stderr);
    assert!(run.stderr.contains("strata dev start"), "{}", run.stderr);
}
