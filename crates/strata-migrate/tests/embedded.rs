//! Migrations compiled into the binary, run against a real server.

use strata_migrate::embedded::EmbeddedMigrations;
use strata_migrate::{MigrateError, Target};
use strata_testkit::TestDatabase;

static MIGRATIONS: EmbeddedMigrations =
    strata_migrate::embed_migrations!("tests/fixtures/embedded");

#[test]
fn the_folder_is_embedded_in_order() {
    let names: Vec<_> = MIGRATIONS.names().collect();
    assert_eq!(names, ["0001_create_notes", "0002_seed_notes"]);
    let parsed = MIGRATIONS.migrations().unwrap();
    assert!(parsed[0].files.down.is_some());
    assert!(parsed[1].files.down.is_none());
    assert_eq!(
        parsed[1].checksum,
        strata_migrate::checksum(include_str!("fixtures/embedded/0002_seed_notes/up.sql"))
    );
}

#[tokio::test]
async fn embedded_migrations_run_at_startup_with_the_same_checks() {
    let db = TestDatabase::create().await;
    let target = Target::new(db.url());
    let report = MIGRATIONS.run(&target).await.unwrap();
    assert_eq!(report.applied.len(), 2);
    let again = MIGRATIONS.run(&target).await.unwrap();
    assert!(again.applied.is_empty());
    let client = db.connect().await;
    let body: String = client
        .query_one("SELECT body FROM notes WHERE id = 1", &[])
        .await
        .unwrap()
        .get(0);
    assert_eq!(body, "embedded");

    // A database whose record disagrees with the embedded file is refused.
    client
        .batch_execute(
            "UPDATE strata.migrations SET checksum = 'abc' WHERE name = '0001_create_notes'",
        )
        .await
        .unwrap();
    assert!(matches!(
        MIGRATIONS.run(&target).await,
        Err(MigrateError::Modified { .. })
    ));
}
