//! The migrator commands inside a project: strata.toml gives the folder,
//! the tracking table and the environments; protected ones need consent.

use crate::common::{assert_code, strata_at, Scratch};
use crate::migrate::public_tables;
use strata_testkit::TestDatabase;

fn project() -> Scratch {
    let dir = Scratch::new();
    dir.write(
        "strata.toml",
        r#"
[schema]
sql = "schema.sql"

[migrations]
dir = "db/migrations"
table = "ops.schema_history"

[env.dev]
url = "${DEV_URL}"

[env.prod]
url = "${PROD_URL}"
protected = true
"#,
    );
    dir.write(
        "db/migrations/0001_users/up.sql",
        "CREATE TABLE users (id int);",
    );
    dir.write("db/migrations/0001_users/down.sql", "DROP TABLE users;");
    dir.write("schema.sql", "CREATE TABLE users (id int, email text);");
    dir
}

#[tokio::test]
async fn migrate_status_rollback_follow_strata_toml() {
    let dir = project();
    let db = TestDatabase::create().await;
    let env = [("DEV_URL", db.url())];
    let run = strata_at(&dir.0, &["migrate", "--env", "dev"], &env);
    assert_code(&run, 0);
    assert_eq!(public_tables(&db).await, ["users"]);
    // The tracking table strata.toml names, not the default.
    let rows = db
        .connect()
        .await
        .query("SELECT name FROM ops.schema_history", &[])
        .await
        .unwrap();
    assert_eq!(rows[0].get::<_, String>(0), "0001_users");

    let run = strata_at(
        &dir.0,
        &["status", "--env", "dev", "--format", "json"],
        &env,
    );
    assert_code(&run, 0);
    assert!(run.stdout.contains("0001_users"), "{}", run.stdout);
    assert!(run.stdout.contains("applied"), "{}", run.stdout);

    // STRATA_ENV picks the environment too.
    let run = strata_at(&dir.0, &["rollback"], &[env[0], ("STRATA_ENV", "dev")]);
    assert_code(&run, 0);
    assert!(public_tables(&db).await.is_empty());
}

#[tokio::test]
async fn protected_environments_need_consent_and_refuse_push() {
    let dir = project();
    let db = TestDatabase::create().await;
    let env = [("PROD_URL", db.url())];

    // No terminal and no --yes: refused before anything runs.
    let run = strata_at(&dir.0, &["migrate", "--env", "prod"], &env);
    assert_code(&run, 1);
    assert!(run.stderr.contains("protected"), "{}", run.stderr);
    assert!(run.stderr.contains("--yes"), "{}", run.stderr);
    assert!(public_tables(&db).await.is_empty());

    let run = strata_at(&dir.0, &["migrate", "--env", "prod", "--yes"], &env);
    assert_code(&run, 0);
    assert_eq!(public_tables(&db).await, ["users"]);

    let run = strata_at(&dir.0, &["rollback", "--env", "prod"], &env);
    assert_code(&run, 1);
    assert_eq!(public_tables(&db).await, ["users"]);

    // push never runs on a protected environment, even with consent flags.
    let dev_url = format!("{}/postgres", strata_testkit::server().base_url);
    let run = strata_at(
        &dir.0,
        &[
            "push",
            "--env",
            "prod",
            "--accept-data-loss",
            "--dev-url",
            &dev_url,
        ],
        &env,
    );
    assert_code(&run, 1);
    assert!(run.stderr.contains("refusing to push"), "{}", run.stderr);
    let columns = db
        .connect()
        .await
        .query(
            "SELECT column_name::text FROM information_schema.columns WHERE table_name = 'users'",
            &[],
        )
        .await
        .unwrap();
    assert_eq!(columns.len(), 1, "push changed the protected database");
}

#[tokio::test]
async fn push_takes_its_schema_from_strata_toml() {
    let dir = project();
    let db = TestDatabase::create().await;
    let dev_url = format!("{}/postgres", strata_testkit::server().base_url);
    let env = [("DEV_URL", db.url())];
    let run = strata_at(
        &dir.0,
        &["push", "--env", "dev", "--dev-url", &dev_url],
        &env,
    );
    assert_code(&run, 0);
    let columns: Vec<String> = db
        .connect()
        .await
        .query(
            "SELECT column_name::text FROM information_schema.columns WHERE table_name = 'users' ORDER BY 1",
            &[],
        )
        .await
        .unwrap()
        .iter()
        .map(|r| r.get(0))
        .collect();
    assert_eq!(columns, ["email", "id"]);
}
