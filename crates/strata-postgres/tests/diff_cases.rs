//! Data-driven diff cases on a real server: one folder per case under
//! `tests/cases/<name>/` with
//!
//! - `from.sql`, `to.sql`: the two states (each loaded into a fresh database);
//! - `seed.sql` (optional): rows inserted into the *from* database before
//!   migrating, so conversions (`USING`, `NOT NULL`) are tried on real data;
//! - `hints.txt` (optional): rename hints, one `KIND:OLD=NEW` per line, `#` comments;
//! - `needs.txt` (optional): the oldest PostgreSQL major the case's SQL
//!   runs on (`15` for `NULLS NOT DISTINCT`). On an older server the case is
//!   listed as not run, and counted apart from the passes;
//! - `irreversible.txt` (optional): why the down script cannot bring the data
//!   back. Its presence asserts the down script IS marked irreversible; its
//!   absence asserts it is NOT.
//!
//! For every case: `up` applied to *from* introspects equal to *to* (column
//! order aside), the re-diff is empty, and `down` applied afterwards
//! introspects equal to *from* again (structure comes back even when data
//! cannot), with an empty re-diff too.
//!
//! `STRATA_DIFF_CASE=substring` runs only matching cases.

use std::path::{Path, PathBuf};
use strata_postgres::introspect::introspect;
use strata_postgres::render::{plan, Script};
use strata_schema::{Filter, RenameHint, RenameHints, Schema};
use strata_testkit::TestDatabase;
use tokio_postgres::Client;

fn case_dirs() -> Vec<PathBuf> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/cases");
    let filter = std::env::var("STRATA_DIFF_CASE").unwrap_or_default();
    let mut dirs: Vec<PathBuf> = std::fs::read_dir(&root)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", root.display()))
        .map(|e| e.unwrap().path())
        .filter(|p| p.join("from.sql").is_file())
        .filter(|p| p.file_name().unwrap().to_string_lossy().contains(&filter))
        .collect();
    dirs.sort();
    dirs
}

fn read_optional(dir: &Path, file: &str) -> Option<String> {
    std::fs::read_to_string(dir.join(file)).ok()
}

fn parse_hints(text: &str) -> Result<RenameHints, String> {
    let hints = text
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .map(RenameHint::parse)
        .collect::<Result<Vec<_>, _>>()?;
    Ok(RenameHints::new(hints))
}

async fn introspect_db(db: &TestDatabase) -> Result<Schema, String> {
    let client = db.connect().await;
    introspect(&client, &Filter::default())
        .await
        .map_err(|e| format!("introspection failed: {e:?}"))
}

/// Applies a script as the migrator does: runs of transactional statements
/// in one transaction, non-transactional statements alone.
async fn apply(client: &Client, script: &Script, what: &str) -> Result<(), String> {
    let mut in_tx = false;
    for s in &script.statements {
        let toggle = if s.transactional && !in_tx {
            Some("BEGIN")
        } else if !s.transactional && in_tx {
            Some("COMMIT")
        } else {
            None
        };
        if let Some(t) = toggle {
            client
                .batch_execute(t)
                .await
                .map_err(|e| format!("{what}: {t}: {e:?}"))?;
            in_tx = !in_tx;
        }
        if let Err(e) = client.batch_execute(&s.sql).await {
            if in_tx {
                let _ = client.batch_execute("ROLLBACK").await;
            }
            return Err(format!(
                "{what} statement failed: {}\n  {}\n--- whole script:\n{}",
                e.as_db_error()
                    .map_or_else(|| e.to_string(), |d| d.to_string()),
                s.sql,
                script.to_sql()
            ));
        }
    }
    if in_tx {
        client
            .batch_execute("COMMIT")
            .await
            .map_err(|e| format!("{what}: COMMIT: {e:?}"))?;
    }
    Ok(())
}

/// `None` when equal (column order aside), else the JSON lines that differ.
fn difference(actual: &Schema, expected: &Schema) -> Option<String> {
    if actual.same_as(expected) {
        return None;
    }
    let pretty = |s: &Schema| {
        serde_json::to_string_pretty(&s.column_order_insensitive()).unwrap_or_default()
    };
    let (a, e) = (pretty(actual), pretty(expected));
    let a_lines: Vec<&str> = a.lines().collect();
    let e_lines: Vec<&str> = e.lines().collect();
    let mut out = String::new();
    for l in e_lines.iter().filter(|l| !a_lines.contains(l)).take(15) {
        out.push_str(&format!("  - expected {}\n", l.trim()));
    }
    for l in a_lines.iter().filter(|l| !e_lines.contains(l)).take(15) {
        out.push_str(&format!("  + actual   {}\n", l.trim()));
    }
    Some(out)
}

async fn load(sql: &str, what: &str) -> Result<TestDatabase, String> {
    let db = TestDatabase::create().await;
    db.connect()
        .await
        .batch_execute(sql)
        .await
        .map_err(|e| format!("{what} fails to load: {e:?}"))?;
    Ok(db)
}

async fn run_case(dir: &Path) -> Result<(), String> {
    let from_sql = read_optional(dir, "from.sql").ok_or("from.sql missing")?;
    let to_sql = read_optional(dir, "to.sql").ok_or("to.sql missing")?;
    let hints = parse_hints(&read_optional(dir, "hints.txt").unwrap_or_default())?;
    let irreversible_expected = dir.join("irreversible.txt").is_file();

    let from_db = load(&from_sql, "from.sql").await?;
    let to_db = load(&to_sql, "to.sql").await?;
    let from = introspect_db(&from_db).await?;
    let to = introspect_db(&to_db).await?;
    if from.same_as(&to) {
        return Err("from.sql and to.sql describe the same schema: the case tests nothing".into());
    }
    if let Some(seed) = read_optional(dir, "seed.sql") {
        from_db
            .connect()
            .await
            .batch_execute(&seed)
            .await
            .map_err(|e| format!("seed.sql fails: {e:?}"))?;
    }

    let migration = plan(&from, &to, &hints).map_err(|e| format!("plan failed: {e}"))?;
    if migration.up.is_empty() {
        return Err("up script is empty although the schemas differ".into());
    }
    let client = from_db.connect().await;
    apply(&client, &migration.up, "up").await?;
    let after_up = introspect_db(&from_db).await?;
    if let Some(d) = difference(&after_up, &to) {
        return Err(format!(
            "after up, the database differs from to.sql:\n{d}--- up script:\n{}",
            migration.up.to_sql()
        ));
    }
    let again = plan(&after_up, &to, &RenameHints::default())
        .map_err(|e| format!("re-plan failed: {e}"))?;
    if !again.up.is_empty() {
        return Err(format!(
            "re-diff after up is not empty:\n{}",
            again.up.to_sql()
        ));
    }

    let marked_irreversible = !migration.down.is_reversible();
    if marked_irreversible != irreversible_expected {
        return Err(format!(
            "down script is {} irreversible, but the case {} irreversible.txt\n--- down script:\n{}",
            if marked_irreversible { "marked" } else { "not marked" },
            if irreversible_expected { "has" } else { "has no" },
            migration.down.to_sql()
        ));
    }
    apply(&client, &migration.down, "down").await?;
    let after_down = introspect_db(&from_db).await?;
    if let Some(d) = difference(&after_down, &from) {
        return Err(format!(
            "after down, the database differs from from.sql:\n{d}--- down script:\n{}",
            migration.down.to_sql()
        ));
    }
    let back = plan(&after_down, &from, &RenameHints::default())
        .map_err(|e| format!("re-plan after down failed: {e}"))?;
    if !back.up.is_empty() {
        return Err(format!(
            "re-diff after down is not empty:\n{}",
            back.up.to_sql()
        ));
    }
    Ok(())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn diff_cases() {
    let dirs = case_dirs();
    assert!(!dirs.is_empty(), "no diff case found under tests/cases");
    let version = strata_testkit::server_version().await;
    let mut failures = Vec::new();
    let mut not_run = Vec::new();
    for dir in &dirs {
        let name = dir.file_name().unwrap().to_string_lossy().into_owned();
        if let Some(needs) = read_optional(dir, "needs.txt") {
            let needs: i32 = needs
                .trim()
                .parse()
                .unwrap_or_else(|e| panic!("{name}/needs.txt: not a major version: {e}"));
            if version.major() < needs {
                eprintln!("NOT RUN {name}: needs PostgreSQL {needs}, the server runs {version}");
                not_run.push(name);
                continue;
            }
        }
        match run_case(dir).await {
            Ok(()) => eprintln!("PASS {name}"),
            Err(e) => {
                eprintln!("FAIL {name}: {e}\n");
                failures.push(name);
            }
        }
    }
    eprintln!(
        "{} of {} diff cases passed; {} failed; {} not run on PostgreSQL {version}: {}",
        dirs.len() - failures.len() - not_run.len(),
        dirs.len(),
        failures.len(),
        not_run.len(),
        not_run.join(", ")
    );
    assert!(
        failures.is_empty(),
        "{} of {} diff cases failed: {}",
        failures.len(),
        dirs.len(),
        failures.join(", ")
    );
}
