//! `strata import drizzle`: both drizzle-kit layouts, and drizzle's history.

use crate::common::{assert_code, strata, Scratch};
use crate::migrate::public_tables;
use strata_testkit::TestDatabase;

const INIT: &str = "CREATE TABLE \"users\" (\"id\" serial PRIMARY KEY);\n--> statement-breakpoint\nCREATE TABLE \"posts\" (\"id\" serial PRIMARY KEY);\n";
const MORE: &str = "ALTER TABLE \"users\" ADD COLUMN \"name\" text;";

#[tokio::test]
async fn drizzle_0x_journal_import_honours_drizzle_history() {
    let db = TestDatabase::create().await;
    let dir = Scratch::new();
    dir.write(
        "drizzle/meta/_journal.json",
        r#"{"version":"7","dialect":"postgresql","entries":[
            {"idx":0,"version":"7","when":1700000000000,"tag":"0000_init","breakpoints":true},
            {"idx":1,"version":"7","when":1700000001000,"tag":"0001_more","breakpoints":true}]}"#,
    );
    dir.write("drizzle/0000_init.sql", INIT);
    dir.write("drizzle/0001_more.sql", MORE);
    // drizzle's migrator applied the first one.
    let hash = strata_migrate::drizzle::drizzle_hash(INIT);
    db.connect()
        .await
        .batch_execute(&format!(
            "CREATE SCHEMA drizzle;
             CREATE TABLE drizzle.__drizzle_migrations (id serial PRIMARY KEY, hash text NOT NULL, created_at bigint);
             INSERT INTO drizzle.__drizzle_migrations (hash, created_at) VALUES ('{hash}', 1700000000000);
             {}",
            INIT.replace("--> statement-breakpoint", "")
        ))
        .await
        .unwrap();

    let out = dir.path("migrations");
    let run = strata(&[
        "import",
        "drizzle",
        &dir.path("drizzle"),
        "--out",
        &out,
        "--url",
        db.url(),
    ]);
    assert_code(&run, 0);
    assert!(run.stdout.contains("imported 2"), "{}", run.stdout);
    assert!(
        run.stdout
            .contains("recorded as applied (drizzle had applied them): 0000_init"),
        "{}",
        run.stdout
    );
    let up = std::fs::read_to_string(dir.0.join("migrations/0000_init/up.sql")).unwrap();
    assert!(up.contains("-- strata:breakpoint"), "{up}");

    let migrate = strata(&["migrate", "--url", db.url(), "--dir", &out]);
    assert_code(&migrate, 0);
    assert!(!migrate.stdout.contains("0000_init"), "{}", migrate.stdout);
    assert!(
        migrate.stdout.contains("applied 0001_more"),
        "{}",
        migrate.stdout
    );
    let name: i64 = db
        .connect()
        .await
        .query_one(
            "SELECT count(*) FROM information_schema.columns WHERE table_name = 'users' AND column_name = 'name'",
            &[],
        )
        .await
        .unwrap()
        .get(0);
    assert_eq!(name, 1);

    // Importing again into the same folder is refused, nothing overwritten.
    let again = strata(&["import", "drizzle", &dir.path("drizzle"), "--out", &out]);
    assert_code(&again, 1);
    assert!(again.stderr.contains("--out"), "{}", again.stderr);
}

#[tokio::test]
async fn drizzle_1_0_folders_import() {
    let db = TestDatabase::create().await;
    let dir = Scratch::new();
    dir.write("drizzle/20240101120000_init/migration.sql", INIT);
    dir.write("drizzle/20240101120000_init/snapshot.json", "{}");
    dir.write("drizzle/20240102120000_more/migration.sql", MORE);
    let out = dir.path("migrations");
    let run = strata(&["import", "drizzle", &dir.path("drizzle"), "--out", &out]);
    assert_code(&run, 0);
    let migrate = strata(&["migrate", "--url", db.url(), "--dir", &out]);
    assert_code(&migrate, 0);
    assert!(
        migrate.stdout.contains("applied 20240101120000_init"),
        "{}",
        migrate.stdout
    );
    assert!(
        migrate.stdout.contains("applied 20240102120000_more"),
        "{}",
        migrate.stdout
    );
    assert_eq!(public_tables(&db).await, ["posts", "users"]);
}

#[test]
fn a_folder_that_is_not_drizzle_is_a_clear_error() {
    let dir = Scratch::new();
    dir.write("notes.txt", "hi");
    let run = strata(&[
        "import",
        "drizzle",
        &dir.path(""),
        "--out",
        &dir.path("out"),
    ]);
    assert_code(&run, 1);
    assert!(run.stderr.contains("meta/_journal.json"), "{}", run.stderr);
    assert!(run.stderr.contains("out"), "{}", run.stderr);
}
