//! Through the app's own `db` binary, as a team would: the derive's schema
//! -> `db generate` -> `db migrate` -> `db diff --to app` is empty, and a
//! second `generate` writes nothing.

use std::path::Path;
use std::process::{Command, Output};

fn db(dir: &Path, args: &[&str]) -> Output {
    let out = Command::new(env!("CARGO_BIN_EXE_db"))
        .args(args)
        .current_dir(dir)
        .env_remove("DATABASE_URL")
        .env_remove("STRATA_ENV")
        .env_remove("STRATA_APP")
        .env("NO_COLOR", "1")
        .output()
        .unwrap();
    out
}

fn ok(out: &Output) -> String {
    let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
    assert!(
        out.status.success(),
        "exit {:?}\n--- stdout\n{stdout}\n--- stderr\n{}",
        out.status.code(),
        String::from_utf8_lossy(&out.stderr)
    );
    stdout
}

#[tokio::test]
async fn derive_generate_migrate_round_trip() {
    let database = strata_testkit::TestDatabase::create().await;
    let url = database.url();
    let dir = std::env::temp_dir().join(format!("strata-school-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();

    let written = ok(&db(&dir, &["generate", "--name", "school"]));
    assert!(written.contains("0001_school"), "{written}");
    let folder = dir.join("migrations/0001_school");
    for file in ["up.sql", "down.sql", "snapshot.json"] {
        assert!(folder.join(file).is_file(), "{file} missing");
    }

    ok(&db(&dir, &["migrate", "--url", url]));
    // The database now is what the code declares: no drift.
    let drift = db(&dir, &["diff", "--from", url, "--to", "app", "--exit-code"]);
    assert_eq!(drift.status.code(), Some(0), "{}", ok(&drift));
    assert!(ok(&drift).is_empty());

    let again = ok(&db(&dir, &["generate", "--name", "again"]));
    assert!(again.contains("No changes"), "{again}");
    assert!(!dir.join("migrations/0002_again").exists());

    let status = ok(&db(&dir, &["status", "--url", url, "--format", "json"]));
    assert!(status.contains("0001_school"), "{status}");

    // The rows go in through the typed schema's tables.
    let client = database.connect().await;
    client
        .batch_execute(
            "INSERT INTO schools (name) VALUES ('North');
             INSERT INTO students (sis_id, first_name, last_name, grade_level, school_id)
             VALUES ('S1', 'Ada', 'Lovelace', '5', 1);",
        )
        .await
        .unwrap();
    let n: i64 = client
        .query_one("SELECT count(*) FROM active_students", &[])
        .await
        .unwrap()
        .get(0);
    assert_eq!(n, 1);
    std::fs::remove_dir_all(&dir).unwrap();
}
