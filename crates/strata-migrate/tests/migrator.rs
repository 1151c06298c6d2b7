//! The migrator against a real server: a fresh database per test.

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU32, Ordering};
use std::time::Duration;
use strata_migrate::{
    load, migrate, rollback, status, MigrateError, MigrationState, RollbackOptions, RunOptions,
    Target,
};
use strata_testkit::TestDatabase;

static DIRS: AtomicU32 = AtomicU32::new(0);

/// A scratch migrations folder, removed when dropped.
struct Folder(PathBuf);

impl Folder {
    fn new() -> Folder {
        let dir = std::env::temp_dir().join(format!(
            "strata-migrator-{}-{}",
            std::process::id(),
            DIRS.fetch_add(1, Ordering::Relaxed)
        ));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        Folder(dir)
    }

    fn add(&self, name: &str, up: &str, down: Option<&str>) -> &Self {
        let dir = self.0.join(name);
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(dir.join("up.sql"), up).unwrap();
        if let Some(down) = down {
            std::fs::write(dir.join("down.sql"), down).unwrap();
        }
        self
    }

    fn path(&self) -> &Path {
        &self.0
    }
}

impl Drop for Folder {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

async fn tables(db: &TestDatabase) -> Vec<String> {
    let client = db.connect().await;
    client
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

async fn recorded(db: &TestDatabase) -> Vec<String> {
    let client = db.connect().await;
    client
        .query("SELECT name FROM strata.migrations ORDER BY name", &[])
        .await
        .unwrap()
        .iter()
        .map(|r| r.get(0))
        .collect()
}

#[tokio::test]
async fn applies_pending_in_order_once_and_records_checksums() {
    let db = TestDatabase::create().await;
    let dir = Folder::new();
    dir.add("0001_a", "CREATE TABLE a (id int);", Some("DROP TABLE a;"))
        .add(
            "0002_b",
            "CREATE TABLE b (id int);\n-- strata:breakpoint\nINSERT INTO b VALUES (1);",
            None,
        );
    let target = Target::new(db.url());
    let migrations = load(dir.path()).unwrap();
    let report = migrate(&target, &migrations, &RunOptions::default())
        .await
        .unwrap();
    let names: Vec<_> = report.applied.iter().map(|a| a.name.as_str()).collect();
    assert_eq!(names, ["0001_a", "0002_b"]);
    assert_eq!(tables(&db).await, ["a", "b"]);

    let client = db.connect().await;
    let row = client
        .query_one(
            "SELECT checksum, applied_at IS NOT NULL, execution_ms >= 0 FROM strata.migrations WHERE name = '0002_b'",
            &[],
        )
        .await
        .unwrap();
    assert_eq!(row.get::<_, String>(0), migrations[1].checksum);
    assert!(row.get::<_, bool>(1) && row.get::<_, bool>(2));

    // A second run has nothing to do.
    let again = migrate(&target, &migrations, &RunOptions::default())
        .await
        .unwrap();
    assert!(again.applied.is_empty());
    let st = status(&target, &migrations).await.unwrap();
    assert!(st
        .entries
        .iter()
        .all(|e| e.state == MigrationState::Applied));
}

#[tokio::test]
async fn status_before_the_first_run_creates_nothing() {
    let db = TestDatabase::create().await;
    let dir = Folder::new();
    dir.add("0001_a", "CREATE TABLE a (id int);", None);
    let st = status(&Target::new(db.url()), &load(dir.path()).unwrap())
        .await
        .unwrap();
    assert!(!st.table_exists);
    assert_eq!(st.entries[0].state, MigrationState::Pending);
    let client = db.connect().await;
    let n: i64 = client
        .query_one(
            "SELECT count(*) FROM pg_namespace WHERE nspname = 'strata'",
            &[],
        )
        .await
        .unwrap()
        .get(0);
    assert_eq!(n, 0);
}

#[tokio::test]
async fn an_edited_applied_migration_is_refused_before_anything_runs() {
    let db = TestDatabase::create().await;
    let dir = Folder::new();
    dir.add("0001_a", "CREATE TABLE a (id int);", None);
    let target = Target::new(db.url());
    migrate(&target, &load(dir.path()).unwrap(), &RunOptions::default())
        .await
        .unwrap();
    let old = strata_migrate::checksum("CREATE TABLE a (id int);");
    dir.add("0001_a", "CREATE TABLE a (id bigint);", None).add(
        "0002_b",
        "CREATE TABLE b (id int);",
        None,
    );
    let migrations = load(dir.path()).unwrap();
    let err = migrate(&target, &migrations, &RunOptions::default())
        .await
        .unwrap_err();
    match &err {
        MigrateError::Modified { migrations } => {
            assert_eq!(migrations.len(), 1);
            assert_eq!(migrations[0].name, "0001_a");
            assert_eq!(migrations[0].recorded, old);
            assert_ne!(migrations[0].current, old);
        }
        other => panic!("expected Modified, got {other:?}"),
    }
    assert!(err.to_string().contains(&old), "{err}");
    assert_eq!(tables(&db).await, ["a"], "0002_b must not have run");
    let st = status(&target, &migrations).await.unwrap();
    assert_eq!(st.entries[0].state, MigrationState::Modified);
}

#[tokio::test]
async fn a_migration_merged_late_is_refused_unless_allowed() {
    let db = TestDatabase::create().await;
    let dir = Folder::new();
    dir.add("0001_a", "CREATE TABLE a (id int);", None).add(
        "0003_c",
        "CREATE TABLE c (id int);",
        None,
    );
    let target = Target::new(db.url());
    migrate(&target, &load(dir.path()).unwrap(), &RunOptions::default())
        .await
        .unwrap();
    dir.add("0002_b", "CREATE TABLE b (id int);", None);
    let migrations = load(dir.path()).unwrap();
    let st = status(&target, &migrations).await.unwrap();
    assert_eq!(st.entries[1].state, MigrationState::OutOfOrder);
    match migrate(&target, &migrations, &RunOptions::default()).await {
        Err(MigrateError::OutOfOrder {
            migrations,
            newest_applied,
        }) => {
            assert_eq!(migrations, ["0002_b"]);
            assert_eq!(newest_applied, "0003_c");
        }
        other => panic!("expected OutOfOrder, got {other:?}"),
    }
    assert_eq!(tables(&db).await, ["a", "c"]);
    let report = migrate(
        &target,
        &migrations,
        &RunOptions {
            allow_out_of_order: true,
            ..RunOptions::default()
        },
    )
    .await
    .unwrap();
    assert_eq!(report.out_of_order, ["0002_b"]);
    assert_eq!(tables(&db).await, ["a", "b", "c"]);
}

#[tokio::test]
async fn a_failing_migration_rolls_back_whole_and_the_error_says_what_was_applied() {
    let db = TestDatabase::create().await;
    let dir = Folder::new();
    dir.add("0001_a", "CREATE TABLE a (id int);", None)
        .add(
            "0002_b",
            "CREATE TABLE b (id int);\n-- strata:breakpoint\nINSERT INTO nope VALUES (1);",
            None,
        )
        .add("0003_c", "CREATE TABLE c (id int);", None);
    let target = Target::new(db.url());
    let err = migrate(&target, &load(dir.path()).unwrap(), &RunOptions::default())
        .await
        .unwrap_err();
    match &err {
        MigrateError::Statement {
            migration,
            line,
            server,
            applied,
            ..
        } => {
            assert_eq!(migration, "0002_b");
            assert_eq!(*line, 3);
            assert_eq!(server.code.as_deref(), Some("42P01"));
            assert_eq!(applied, &["0001_a"]);
        }
        other => panic!("expected Statement, got {other:?}"),
    }
    assert_eq!(tables(&db).await, ["a"], "b's CREATE TABLE rolled back");
    assert_eq!(recorded(&db).await, ["0001_a"]);
}

#[tokio::test]
async fn dry_run_and_to_stop_where_asked() {
    let db = TestDatabase::create().await;
    let dir = Folder::new();
    dir.add("0001_a", "CREATE TABLE a (id int);", None)
        .add("0002_b", "CREATE TABLE b (id int);", None)
        .add("0003_c", "CREATE TABLE c (id int);", None);
    let target = Target::new(db.url());
    let migrations = load(dir.path()).unwrap();
    let dry = migrate(
        &target,
        &migrations,
        &RunOptions {
            dry_run: true,
            ..RunOptions::default()
        },
    )
    .await
    .unwrap();
    assert_eq!(dry.planned.len(), 3);
    assert_eq!(dry.planned[0].statements, ["CREATE TABLE a (id int);"]);
    assert!(tables(&db).await.is_empty());
    let to = RunOptions {
        to: Some("0002_b".into()),
        ..RunOptions::default()
    };
    migrate(&target, &migrations, &to).await.unwrap();
    assert_eq!(tables(&db).await, ["a", "b"]);
    let bad = RunOptions {
        to: Some("0009_nope".into()),
        ..RunOptions::default()
    };
    assert!(matches!(
        migrate(&target, &migrations, &bad).await,
        Err(MigrateError::UnknownMigration { .. })
    ));
}

#[tokio::test]
async fn no_transaction_files_run_outside_and_resume_at_the_failed_statement() {
    let db = TestDatabase::create().await;
    let dir = Folder::new();
    dir.add("0001_t", "CREATE TABLE t (a int);", None).add(
        "0002_idx",
        "-- strata:no-transaction\nCREATE INDEX CONCURRENTLY t_a ON t (a);\n-- strata:breakpoint\nCREATE TABLE once (id int);\n-- strata:breakpoint\nINSERT INTO later VALUES (1);\n-- strata:breakpoint\nCREATE INDEX CONCURRENTLY later_id ON later (id);",
        None,
    );
    let target = Target::new(db.url());
    let migrations = load(dir.path()).unwrap();
    let err = migrate(&target, &migrations, &RunOptions::default())
        .await
        .unwrap_err();
    match &err {
        MigrateError::Statement {
            migration,
            progress,
            line,
            ..
        } => {
            assert_eq!(migration, "0002_idx");
            assert_eq!(*progress, Some((2, 4)));
            assert_eq!(*line, 6);
        }
        other => panic!("expected Statement, got {other:?}"),
    }
    let st = status(&target, &migrations).await.unwrap();
    assert_eq!(
        st.entries[1].state,
        MigrationState::InProgress { done: 2, total: 4 }
    );
    // Editing a statement that already ran is refused: resuming would skip it.
    dir.add(
        "0002_idx",
        "-- strata:no-transaction\nCREATE INDEX CONCURRENTLY t_a ON t (a);\n-- strata:breakpoint\nCREATE TABLE once (id bigint);\n-- strata:breakpoint\nINSERT INTO later VALUES (1);\n-- strata:breakpoint\nCREATE INDEX CONCURRENTLY later_id ON later (id);",
        None,
    );
    let edited = load(dir.path()).unwrap();
    assert!(matches!(
        migrate(&target, &edited, &RunOptions::default()).await,
        Err(MigrateError::Modified { .. })
    ));
    // Fixing the failed statement itself is the usual repair: the re-run
    // resumes there and does not repeat the two completed statements
    // (`CREATE TABLE once` would fail).
    dir.add(
        "0002_idx",
        "-- strata:no-transaction\nCREATE INDEX CONCURRENTLY t_a ON t (a);\n-- strata:breakpoint\nCREATE TABLE once (id int);\n-- strata:breakpoint\nCREATE TABLE later (id int);\n-- strata:breakpoint\nCREATE INDEX CONCURRENTLY later_id ON later (id);",
        None,
    );
    let migrations = load(dir.path()).unwrap();
    let st = status(&target, &migrations).await.unwrap();
    assert_eq!(
        st.entries[1].state,
        MigrationState::InProgress { done: 2, total: 4 }
    );
    let report = migrate(&target, &migrations, &RunOptions::default())
        .await
        .unwrap();
    assert_eq!(report.applied[0].resumed_at, Some(2));
    let client = db.connect().await;
    let n: i64 = client
        .query_one(
            "SELECT count(*) FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid WHERE c.relname IN ('t_a', 'later_id') AND i.indisvalid",
            &[],
        )
        .await
        .unwrap()
        .get(0);
    assert_eq!(n, 2);
    let st = status(&target, &migrations).await.unwrap();
    assert_eq!(st.entries[1].state, MigrationState::Applied);
}

#[tokio::test]
async fn lock_wait_expires_with_a_clear_error() {
    let db = TestDatabase::create().await;
    let dir = Folder::new();
    dir.add("0001_a", "CREATE TABLE a (id int);", None);
    let mut target = Target::new(db.url());
    target.timeouts.lock_wait = Duration::from_millis(300);
    // Another "run" holds the lock.
    let mut holder = db.connect().await;
    let txn = holder.transaction().await.unwrap();
    txn.query(
        "SELECT pg_advisory_xact_lock(hashtextextended('strata.migrate:strata.migrations', 0))",
        &[],
    )
    .await
    .unwrap();
    let err = migrate(&target, &load(dir.path()).unwrap(), &RunOptions::default())
        .await
        .unwrap_err();
    assert!(
        matches!(err, MigrateError::LockTimeout { .. }),
        "expected LockTimeout, got {err:?}"
    );
    assert!(err.to_string().contains("strata.migrations"), "{err}");
    txn.rollback().await.unwrap();
    migrate(&target, &load(dir.path()).unwrap(), &RunOptions::default())
        .await
        .unwrap();
}

#[tokio::test]
async fn lock_and_statement_timeouts_apply_to_migrations() {
    let db = TestDatabase::create().await;
    let dir = Folder::new();
    dir.add("0001_slow", "SELECT pg_sleep(5);", None);
    let mut target = Target::new(db.url());
    target.timeouts.statement_timeout = Some(Duration::from_millis(200));
    let err = migrate(&target, &load(dir.path()).unwrap(), &RunOptions::default())
        .await
        .unwrap_err();
    assert_eq!(err.server().and_then(|s| s.code.as_deref()), Some("57014"));
}

#[tokio::test]
async fn concurrent_runs_apply_each_migration_exactly_once() {
    let db = TestDatabase::create().await;
    let dir = Folder::new();
    for i in 1..=10 {
        dir.add(
            &format!("{i:04}_m"),
            &format!("CREATE TABLE m{i} (id int);"),
            None,
        );
    }
    dir.add(
        "0011_nt",
        "-- strata:no-transaction\nCREATE INDEX CONCURRENTLY IF NOT EXISTS m1_id ON m1 (id);",
        None,
    );
    let migrations = load(dir.path()).unwrap();
    let runs = (0..8).map(|_| {
        let (url, migrations) = (db.url().to_string(), migrations.clone());
        tokio::spawn(async move {
            migrate(&Target::new(url), &migrations, &RunOptions::default()).await
        })
    });
    let mut applied = 0;
    for run in runs {
        let report = run.await.unwrap().unwrap();
        applied += report.applied.len();
    }
    assert_eq!(applied, 11, "every migration applied by exactly one run");
    assert_eq!(recorded(&db).await.len(), 11);
}

#[tokio::test]
async fn rollback_runs_down_and_refuses_irreversible_unless_forced() {
    let db = TestDatabase::create().await;
    let dir = Folder::new();
    dir.add("0001_a", "CREATE TABLE a (id int);", Some("DROP TABLE a;"))
        .add("0002_b", "CREATE TABLE b (id int);", None)
        .add(
            "0003_c",
            "CREATE TABLE c (id int);",
            Some("-- strata:irreversible the dropped data does not come back\nDROP TABLE c;"),
        )
        .add("0004_d", "CREATE TABLE d (id int);", Some("DROP TABLE d;"));
    let target = Target::new(db.url());
    let migrations = load(dir.path()).unwrap();
    migrate(&target, &migrations, &RunOptions::default())
        .await
        .unwrap();

    let one = rollback(&target, &migrations, &RollbackOptions::default())
        .await
        .unwrap();
    assert_eq!(one.rolled_back[0].name, "0004_d");
    assert_eq!(tables(&db).await, ["a", "b", "c"]);

    let all = RollbackOptions {
        to: Some("0001_a".into()),
        ..RollbackOptions::default()
    };
    match rollback(&target, &migrations, &all).await {
        Err(MigrateError::Irreversible { migrations }) => {
            let names: Vec<_> = migrations.iter().map(|(n, _)| n.as_str()).collect();
            assert_eq!(names, ["0003_c", "0002_b"]);
        }
        other => panic!("expected Irreversible, got {other:?}"),
    }
    assert_eq!(tables(&db).await, ["a", "b", "c"], "nothing ran");
    let forced = rollback(
        &target,
        &migrations,
        &RollbackOptions { force: true, ..all },
    )
    .await
    .unwrap();
    assert_eq!(forced.rolled_back.len(), 2);
    assert!(forced.rolled_back[1].record_only);
    // 0002_b had no down.sql: its table stays, its record is gone.
    assert_eq!(tables(&db).await, ["a", "b"]);
    assert_eq!(recorded(&db).await, ["0001_a"]);
}

#[tokio::test]
async fn no_permission_to_create_the_tracking_table_is_a_clear_error() {
    let db = TestDatabase::create().await;
    let role = format!("strata_np_{}", std::process::id());
    let admin = db.connect().await;
    admin
        .batch_execute(&format!(
            "DROP ROLE IF EXISTS {role}; CREATE ROLE {role} LOGIN; REVOKE CREATE ON DATABASE \"{}\" FROM PUBLIC; REVOKE CREATE ON SCHEMA public FROM PUBLIC",
            db.name
        ))
        .await
        .unwrap();
    let base = &strata_testkit::server().base_url;
    let rest = base.split_once('@').map_or(base.as_str(), |(_, r)| r);
    let url = format!("postgres://{role}@{rest}/{}", db.name);
    let dir = Folder::new();
    dir.add("0001_a", "CREATE TABLE a (id int);", None);
    let err = migrate(
        &Target::new(url),
        &load(dir.path()).unwrap(),
        &RunOptions::default(),
    )
    .await
    .unwrap_err();
    match &err {
        MigrateError::TrackingTable { table, server } => {
            assert_eq!(table, "strata.migrations");
            assert_eq!(server.code.as_deref(), Some("42501"));
        }
        other => panic!("expected TrackingTable, got {other:?}"),
    }
    drop(admin);
}

#[tokio::test]
async fn status_reports_missing_on_disk_and_rollback_of_no_transaction_down_runs_outside() {
    let db = TestDatabase::create().await;
    let dir = Folder::new();
    dir.add("0001_t", "CREATE TABLE t (a int);", Some("DROP TABLE t;"))
        .add(
            "0002_idx",
            "-- strata:no-transaction\nCREATE INDEX CONCURRENTLY t_a ON t (a);",
            Some("-- strata:no-transaction\nDROP INDEX CONCURRENTLY t_a;"),
        )
        .add("0003_gone", "SELECT 1;", None);
    let target = Target::new(db.url());
    migrate(&target, &load(dir.path()).unwrap(), &RunOptions::default())
        .await
        .unwrap();
    std::fs::remove_dir_all(dir.path().join("0003_gone")).unwrap();
    let migrations = load(dir.path()).unwrap();
    let st = status(&target, &migrations).await.unwrap();
    assert_eq!(st.entries[2].name, "0003_gone");
    assert_eq!(st.entries[2].state, MigrationState::MissingOnDisk);

    // The newest recorded one is gone from disk: refused without --force.
    assert!(matches!(
        rollback(&target, &migrations, &RollbackOptions::default()).await,
        Err(MigrateError::MissingOnDisk { .. })
    ));
    let report = rollback(
        &target,
        &migrations,
        &RollbackOptions {
            steps: Some(2),
            force: true,
            ..RollbackOptions::default()
        },
    )
    .await
    .unwrap();
    assert_eq!(report.rolled_back.len(), 2);
    let n: i64 = db
        .connect()
        .await
        .query_one("SELECT count(*) FROM pg_class WHERE relname = 't_a'", &[])
        .await
        .unwrap()
        .get(0);
    assert_eq!(n, 0, "DROP INDEX CONCURRENTLY ran outside a transaction");
    assert_eq!(recorded(&db).await, ["0001_t"]);
}

#[test]
fn target_debug_masks_the_password() {
    let target = Target::new("postgres://app:Hunter2secret@db/app");
    let text = format!("{target:?}");
    assert!(!text.contains("Hunter2secret"), "{text}");
    assert!(text.contains("app:****@db"), "{text}");
}

#[tokio::test]
async fn progress_is_reported_for_each_pending_migration() {
    let db = TestDatabase::create().await;
    let dir = Folder::new();
    dir.add("0001_a", "CREATE TABLE a (id int);", None)
        .add("0002_b", "CREATE TABLE b (id int);", None)
        .add("0003_c", "CREATE TABLE c (id int);", None);
    let target = Target::new(db.url());
    let migrations = load(dir.path()).unwrap();
    // One already applied: only the two pending ones are steps.
    let first = RunOptions {
        to: Some("0001_a".into()),
        ..RunOptions::default()
    };
    migrate(&target, &migrations, &first).await.unwrap();
    let mut events = Vec::new();
    strata_migrate::migrate_with_progress(&target, &migrations, &RunOptions::default(), &mut |p| {
        events.push(format!("{p:?}"))
    })
    .await
    .unwrap();
    assert_eq!(
        events,
        [
            r#"Started { name: "0002_b", index: 1, total: 2 }"#,
            r#"Finished { name: "0002_b", index: 1, total: 2, by_others: false }"#,
            r#"Started { name: "0003_c", index: 2, total: 2 }"#,
            r#"Finished { name: "0003_c", index: 2, total: 2, by_others: false }"#,
        ]
    );
}
