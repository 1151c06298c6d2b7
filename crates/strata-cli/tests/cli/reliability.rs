//! Reliability of `strata migrate` as deployed: many processes at once,
//! processes killed at random points, the server restarted mid-run.

use crate::common::{assert_code, path_str, strata, Scratch};
use crate::migrate::folder;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};
use strata_testkit::TestDatabase;

/// Starts `strata` without waiting for it.
pub fn spawn(args: &[&str]) -> Child {
    Command::new(env!("CARGO_BIN_EXE_strata"))
        .args(args)
        .env_remove("STRATA_DEV_URL")
        .env_remove("DATABASE_URL")
        .env("NO_COLOR", "1")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("run strata")
}

/// 20 small migrations: 19 transactional ones that each create a table and
/// log themselves (with a short sleep between, so a kill can land inside),
/// and one no-transaction migration of three repeatable statements.
pub fn twenty_migrations() -> Scratch {
    let mut migrations: Vec<(String, String)> = Vec::new();
    for i in 1..=20 {
        let name = if i == 10 {
            "0010_concurrent_index".to_string()
        } else {
            format!("{i:04}_m{i}")
        };
        let up = if i == 1 {
            "CREATE TABLE log (name text NOT NULL);\n-- strata:breakpoint\nCREATE TABLE m1 (id int);\n-- strata:breakpoint\nINSERT INTO log VALUES ('0001_m1');".to_string()
        } else if i == 10 {
            "-- strata:no-transaction\nCREATE INDEX CONCURRENTLY IF NOT EXISTS i10a ON m9 (id);\n-- strata:breakpoint\nSELECT pg_sleep(0.02);\n-- strata:breakpoint\nCREATE INDEX CONCURRENTLY IF NOT EXISTS i10b ON m9 (id);\n-- strata:breakpoint\nINSERT INTO log SELECT '0010_concurrent_index' WHERE NOT EXISTS (SELECT FROM log WHERE name = '0010_concurrent_index');".to_string()
        } else {
            format!(
                "CREATE TABLE m{i} (id int);\n-- strata:breakpoint\nSELECT pg_sleep(0.01);\n-- strata:breakpoint\nINSERT INTO log VALUES ('{name}');"
            )
        };
        migrations.push((name, up));
    }
    let refs: Vec<(&str, &str, Option<&str>)> = migrations
        .iter()
        .map(|(n, u)| (n.as_str(), u.as_str(), None))
        .collect();
    folder(&refs)
}

/// The names the folder holds, in order.
pub fn names(dir: &Scratch) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(&dir.0)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

/// Asserts the database is at a migration boundary (or at a recorded
/// statement of the no-transaction migration), reading one snapshot.
/// Returns how many migrations were fully applied, and whether the
/// no-transaction one was part-way.
pub async fn assert_consistent(db: &TestDatabase, all: &[String], context: &str) -> (usize, bool) {
    let txn = db.connect().await;
    txn.batch_execute("BEGIN ISOLATION LEVEL REPEATABLE READ")
        .await
        .unwrap();
    let exists = |rel: String| {
        let txn = &txn;
        async move {
            txn.query_one("SELECT to_regclass($1) IS NOT NULL", &[&rel])
                .await
                .unwrap()
                .get::<_, bool>(0)
        }
    };
    let tracked = exists("strata.migrations".into()).await;
    let rows: Vec<(String, bool, i32)> = if tracked {
        txn.query(
            "SELECT name, applied_at IS NOT NULL, statements_done FROM strata.migrations",
            &[],
        )
        .await
        .unwrap()
        .iter()
        .map(|r| (r.get(0), r.get(1), r.get(2)))
        .collect()
    } else {
        Vec::new()
    };
    let logged: Vec<String> = if exists("public.log".into()).await {
        txn.query("SELECT name FROM log", &[])
            .await
            .unwrap()
            .iter()
            .map(|r| r.get(0))
            .collect()
    } else {
        Vec::new()
    };
    let mut applied = 0;
    let mut part_way = false;
    for (i, name) in all.iter().enumerate() {
        let row = rows.iter().find(|r| &r.0 == name);
        let times_logged = logged.iter().filter(|l| *l == name).count();
        assert!(
            times_logged <= 1,
            "{context}: {name} logged {times_logged} times"
        );
        if name == "0010_concurrent_index" {
            match row {
                Some((_, true, _)) => {
                    assert!(exists("public.i10a".into()).await, "{context}");
                    assert!(exists("public.i10b".into()).await, "{context}");
                    assert_eq!(times_logged, 1, "{context}: {name}");
                }
                Some((_, false, done)) => {
                    part_way = true;
                    // Recorded progress: every statement before it completed.
                    if *done >= 1 {
                        assert!(exists("public.i10a".into()).await, "{context}");
                    }
                    if *done >= 3 {
                        assert!(exists("public.i10b".into()).await, "{context}");
                    }
                }
                None => assert_eq!(times_logged, 0, "{context}: {name}"),
            }
        } else {
            let table = exists(format!("public.m{}", i + 1)).await;
            let recorded = row.is_some_and(|r| r.1);
            assert_eq!(
                table, recorded,
                "{context}: {name}: table exists = {table}, recorded = {recorded}"
            );
            assert_eq!(times_logged == 1, recorded, "{context}: {name} log");
        }
        if row.is_some_and(|r| r.1) {
            applied += 1;
        }
    }
    txn.batch_execute("COMMIT").await.unwrap();
    (applied, part_way)
}

#[tokio::test]
async fn eight_processes_at_once_apply_every_migration_exactly_once() {
    let db = TestDatabase::create().await;
    let dir = twenty_migrations();
    let d = dir.path("");
    let started = Instant::now();
    let children: Vec<Child> = (0..8)
        .map(|_| spawn(&["migrate", "--url", db.url(), "--dir", &d]))
        .collect();
    let mut applied_lines = 0;
    for child in children {
        let out = child.wait_with_output().unwrap();
        let stdout = String::from_utf8_lossy(&out.stdout);
        assert!(
            out.status.success(),
            "exit {:?}\n{stdout}\n{}",
            out.status,
            String::from_utf8_lossy(&out.stderr)
        );
        applied_lines += stdout.lines().filter(|l| l.starts_with("applied ")).count();
    }
    eprintln!(
        "8 concurrent `strata migrate` processes, 20 migrations: {:?}",
        started.elapsed()
    );
    assert_eq!(applied_lines, 20, "each migration reported applied once");
    let all = names(&dir);
    assert_eq!(
        assert_consistent(&db, &all, "after 8 runs").await,
        (20, false)
    );
}

#[tokio::test]
async fn sigkill_at_random_points_leaves_a_boundary_and_a_rerun_completes() {
    const TRIALS: u32 = 24;
    let dir = twenty_migrations();
    let d = dir.path("");
    let all = names(&dir);

    // How long a whole run takes here, to spread the kills over it.
    let probe = TestDatabase::create().await;
    let started = Instant::now();
    assert_code(&strata(&["migrate", "--url", probe.url(), "--dir", &d]), 0);
    let full = started.elapsed();
    drop(probe);

    let seed = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .subsec_nanos();
    let mut killed_mid_run = 0;
    let mut inside_no_transaction = 0;
    let mut partial_states = std::collections::BTreeSet::new();
    let trials_started = Instant::now();
    for trial in 0..TRIALS {
        let db = TestDatabase::create().await;
        // Evenly spread over [0, 1.1 × full run], with jitter.
        let jitter =
            (seed.wrapping_mul(trial + 1).wrapping_mul(2_654_435_761) % 1000) as f64 / 1000.0;
        let at = full.mul_f64(1.1 * (f64::from(trial) + jitter) / f64::from(TRIALS));
        let mut child = spawn(&["migrate", "--url", db.url(), "--dir", &d, "--lease", "1s"]);
        tokio::time::sleep(at).await;
        if child.try_wait().unwrap().is_none() {
            killed_mid_run += 1;
        }
        child.kill().unwrap(); // SIGKILL
        let _ = child.wait();
        let context = format!("trial {trial}, killed after {at:?}");
        let (applied, part_way) = assert_consistent(&db, &all, &context).await;
        partial_states.insert(applied);
        inside_no_transaction += u32::from(part_way);

        let rerun = strata(&["migrate", "--url", db.url(), "--dir", &d, "--lease", "1s"]);
        assert_code(&rerun, 0);
        assert_eq!(
            assert_consistent(&db, &all, &format!("{context}, re-run")).await,
            (20, false),
            "{context}: re-run completes"
        );
    }
    eprintln!(
        "SIGKILL: {TRIALS} trials in {:?} (a full run takes {full:?}); {killed_mid_run} killed mid-run, \
         {inside_no_transaction} inside the no-transaction migration; states seen (migrations applied at the kill): {partial_states:?}",
        trials_started.elapsed()
    );
    assert!(
        killed_mid_run >= TRIALS / 2,
        "most kills must land inside the run ({killed_mid_run} of {TRIALS})"
    );
}

/// A private cluster of its own, so restarting it disturbs no other test.
struct PrivateCluster(strata_postgres::cluster::Cluster);

impl Drop for PrivateCluster {
    fn drop(&mut self) {
        let _ = self.0.stop(true);
        let _ = std::fs::remove_dir_all(&self.0.data_dir);
    }
}

#[tokio::test]
async fn a_server_restart_mid_run_is_a_clear_error_and_a_rerun_completes() {
    use strata_postgres::cluster::{find_bin_dir, free_port, Cluster};
    let data = std::env::temp_dir().join(format!("strata-restart-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&data);
    let cluster = PrivateCluster(Cluster::new(
        find_bin_dir().unwrap(),
        data,
        free_port().unwrap(),
    ));
    cluster.0.init().unwrap();
    cluster.0.start(true).unwrap();
    let url = cluster.0.url("postgres");

    let dir = folder(&[
        ("0001_a", "CREATE TABLE a (id int);", None),
        (
            "0002_slow",
            "CREATE TABLE slow (id int);\n-- strata:breakpoint\nSELECT pg_sleep(3);",
            None,
        ),
        ("0003_c", "CREATE TABLE c (id int);", None),
    ]);
    let d = path_str(&dir.0);
    let child = spawn(&["migrate", "--url", &url, "--dir", &d]);
    // Wait until the slow migration is running, then restart the server.
    let admin = strata_testkit::connect_url(&url).await;
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        let n: i64 = admin
            .query_one(
                "SELECT count(*) FROM pg_stat_activity WHERE query LIKE 'SELECT pg_sleep(3)%'",
                &[],
            )
            .await
            .unwrap()
            .get(0);
        if n > 0 {
            break;
        }
        assert!(
            Instant::now() < deadline,
            "the slow migration never started"
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    drop(admin);
    cluster.0.stop(false).unwrap();
    cluster.0.start(true).unwrap();

    let out = child.wait_with_output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    for needle in [
        "lost the connection",
        "0002_slow",
        "before the failure: 0001_a",
        "strata migrate",
    ] {
        assert!(stderr.contains(needle), "{needle}: {stderr}");
    }
    let st = strata(&["status", "--url", &url, "--dir", &d]);
    assert!(st.stdout.contains("1 applied, 2 pending"), "{}", st.stdout);

    let rerun = strata(&["migrate", "--url", &url, "--dir", &d]);
    assert_code(&rerun, 0);
    assert!(
        rerun.stdout.contains("applied 0002_slow"),
        "{}",
        rerun.stdout
    );
    assert!(rerun.stdout.contains("applied 0003_c"), "{}", rerun.stdout);
}

#[tokio::test]
async fn sigkill_inside_a_no_transaction_migration_resumes_at_the_recorded_statement() {
    let db = TestDatabase::create().await;
    let dir = folder(&[
        ("0001_t", "CREATE TABLE t (id int);", None),
        (
            "0002_nt",
            "-- strata:no-transaction\nCREATE TABLE once (id int);\n-- strata:breakpoint\nCREATE INDEX CONCURRENTLY t_id ON t (id);\n-- strata:breakpoint\nSELECT pg_sleep(1.5);\n-- strata:breakpoint\nCREATE INDEX CONCURRENTLY t_id2 ON t (id);",
            None,
        ),
    ]);
    let d = path_str(&dir.0);
    let mut child = spawn(&["migrate", "--url", db.url(), "--dir", &d, "--lease", "1s"]);
    let client = db.connect().await;
    let deadline = Instant::now() + Duration::from_secs(10);
    while client
        .query_one(
            "SELECT count(*) FROM pg_stat_activity WHERE query LIKE 'SELECT pg_sleep(1.5)%'",
            &[],
        )
        .await
        .unwrap()
        .get::<_, i64>(0)
        == 0
    {
        assert!(Instant::now() < deadline, "the sleep never started");
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    child.kill().unwrap();
    let _ = child.wait();
    let (done, applied): (i32, bool) = {
        let row = client
            .query_one(
                "SELECT statements_done, applied_at IS NOT NULL FROM strata.migrations WHERE name = '0002_nt'",
                &[],
            )
            .await
            .unwrap();
        (row.get(0), row.get(1))
    };
    assert_eq!(
        (done, applied),
        (2, false),
        "two statements recorded as done"
    );

    // `CREATE TABLE once` would fail if repeated: the re-run must resume at
    // statement 3 (once the killed run's 1 s lease has expired).
    let started = Instant::now();
    let rerun = strata(&["migrate", "--url", db.url(), "--dir", &d, "--lease", "1s"]);
    assert_code(&rerun, 0);
    assert!(
        rerun.stdout.contains("applied 0002_nt") && rerun.stdout.contains("resumed at statement 3"),
        "{}",
        rerun.stdout
    );
    eprintln!(
        "resume after SIGKILL inside a no-transaction migration: {:?}",
        started.elapsed()
    );
    let valid: i64 = client
        .query_one(
            "SELECT count(*) FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid WHERE c.relname IN ('t_id', 't_id2') AND i.indisvalid",
            &[],
        )
        .await
        .unwrap()
        .get(0);
    assert_eq!(valid, 2);
}
