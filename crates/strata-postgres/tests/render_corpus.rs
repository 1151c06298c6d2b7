//! Sweep of the peer conformance corpus through the round-trip invariant
//! (current -> desired -> current), reporting every failure. Ignored by
//! default (it takes minutes); the conformance runner crate owns the counted
//! run. `STRATA_CORPUS_FILTER=A,B` limits it to cases whose name contains A or B.
//!
//! `cargo test -p strata-postgres --test render_corpus -- --ignored --nocapture`

use std::path::Path;
use strata_postgres::introspect::introspect;
use strata_postgres::render::plan;
use strata_schema::{diff, Filter, RenameHints, Schema};
use strata_testkit::TestDatabase;

/// The shared corpus beside the repository (`../shared/conformance/sqldef`).
const CORPUS: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../../../shared/conformance/sqldef"
);

async fn load(sql: &str) -> Option<(TestDatabase, tokio_postgres::Client, Schema)> {
    let db = TestDatabase::create().await;
    let client = db.connect().await;
    client.batch_execute(sql).await.ok()?;
    let schema = introspect(&client, &Filter::default()).await.ok()?;
    Some((db, client, schema))
}

async fn case(dir: &Path) -> Result<(), String> {
    let read = |f: &str| std::fs::read_to_string(dir.join(f)).unwrap_or_default();
    let (current, desired) = (read("current.sql"), read("desired.sql"));
    let Some((_a, client, a)) = load(&current).await else {
        return Ok(()); // not loadable here: not our concern
    };
    let Some((_b, _cb, b)) = load(&desired).await else {
        return Ok(());
    };
    let m = plan(&a, &b, &RenameHints::default()).map_err(|e| e.to_string())?;
    for s in &m.up.statements {
        client.batch_execute(&s.sql).await.map_err(|e| {
            format!(
                "up failed: {}\n  {}",
                e.as_db_error()
                    .map_or(e.to_string(), |d| d.message().to_string()),
                s.sql
            )
        })?;
    }
    let reached = introspect(&client, &Filter::default())
        .await
        .map_err(|e| e.to_string())?;
    if !reached.same_as(&b) {
        let left = diff(&reached, &b, &RenameHints::default()).unwrap_or_default();
        return Err(format!(
            "up does not reach desired; remaining: {:?}\n--- up:\n{}",
            left.iter().map(|c| &c.change).collect::<Vec<_>>(),
            m.up.to_sql()
        ));
    }
    for s in &m.down.statements {
        client.batch_execute(&s.sql).await.map_err(|e| {
            format!(
                "down failed: {}\n  {}",
                e.as_db_error()
                    .map_or(e.to_string(), |d| d.message().to_string()),
                s.sql
            )
        })?;
    }
    let back = introspect(&client, &Filter::default())
        .await
        .map_err(|e| e.to_string())?;
    if !back.same_as(&a) {
        let left = diff(&back, &a, &RenameHints::default()).unwrap_or_default();
        return Err(format!(
            "down does not reach current; remaining: {:?}",
            left.iter().map(|c| &c.change).collect::<Vec<_>>()
        ));
    }
    Ok(())
}

#[tokio::test]
#[ignore = "sweeps the whole corpus (minutes)"]
async fn corpus_round_trips() {
    let filter = std::env::var("STRATA_CORPUS_FILTER").unwrap_or_default();
    let mut dirs: Vec<_> = std::fs::read_dir(CORPUS)
        .expect("corpus")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| {
            let name = p
                .file_name()
                .map(|n| n.to_string_lossy().to_string())
                .unwrap_or_default();
            filter.split(',').any(|f| name.contains(f))
        })
        .collect();
    dirs.sort();
    let mut failures = Vec::new();
    for d in &dirs {
        if let Err(e) = case(d).await {
            let name = d.file_name().unwrap().to_string_lossy().to_string();
            println!("FAIL {name}: {e}\n");
            failures.push(name);
        }
    }
    println!(
        "{} of {} cases failed: {failures:?}",
        failures.len(),
        dirs.len()
    );
    assert!(failures.is_empty());
}
