//! `strata-bench generate`: `strata generate` on an N-table schema (1,000 by
//! default) where 1% of the tables gain a column, against `drizzle-kit
//! generate` of the same change.
//!
//! Both schemas are real introspections of the benchmark database (see
//! [`crate::database`]), stored as snapshots, so no compile time is involved
//! on our side: the migrations folder holds one migration whose snapshot is
//! the baseline, and each run generates the next migration from the changed
//! snapshot (`--to b.json`): read the folder and its snapshot chain, parse the
//! target, diff, render up and down, write the folder. The written folder is
//! removed after each run (not timed).

use crate::database;
use crate::drizzle::Drizzle;
use crate::external;
use crate::machine::{load_average, npm_package_version, Machine};
use crate::report::Section;
use crate::schema_engine::{
    add_columns, check_base, column_count, expect_eq, progress, time_external, Result,
};
use crate::timing::{Samples, Stopwatch, Summary};
use std::time::SystemTime;
use strata_migrate::{draft, WriteOptions};
use strata_schema::{Filter, RenameHints, Snapshot};

pub use crate::setup::Options;

pub async fn run(options: Options) -> Result<String> {
    let tables = options.tables;
    let runs = options.runs.max(1);
    let machine = Machine::detect();
    let load_before = load_average();
    let strata_bin = options.strata_binary();
    let drizzle = options.drizzle();

    progress("starting the database server");
    let db = strata_testkit::TestDatabase::create().await;
    let client = db.connect().await;
    progress(&format!("creating {tables} tables"));
    for batch in database::create_batches(tables) {
        client.batch_execute(&batch).await?;
    }
    let filter = Filter::default();
    let base = strata_postgres::introspect::introspect(&client, &filter).await?;
    check_base(&base, tables)?;
    client.batch_execute(&database::change_sql(tables)).await?;
    let changed = strata_postgres::introspect::introspect(&client, &filter).await?;
    let expected = database::changed_count(tables);
    expect_eq(
        "columns added between the snapshots",
        column_count(&changed) - column_count(&base),
        expected,
    )?;

    let dir = std::env::temp_dir().join(format!("strata-bench-generate-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir)?;
    let a_json = dir.join("a.json");
    let b_json = dir.join("b.json");
    std::fs::write(&a_json, Snapshot::new(base.clone()).to_json())?;
    std::fs::write(&b_json, Snapshot::new(changed.clone()).to_json())?;
    let migrations = dir.join("migrations");
    let none = RenameHints::default();
    let options_for = |name: &str| WriteOptions {
        name: name.into(),
        style: None,
        custom: false,
        now: SystemTime::now(),
    };
    // The baseline migration (not timed): its snapshot is the state.
    draft(&migrations, &base, &none, &none)?.write(&options_for("baseline"))?;

    let mut section = Section::new(format!(
        "Generate: a migration for {expected} of {tables} tables gaining a column (`strata generate`, snapshot source)"
    ));

    progress("timing draft() + write()");
    let mut samples = Samples::default();
    let mut draft_samples = Samples::default();
    let mut write_samples = Samples::default();
    for i in 0..=runs {
        let watch = Stopwatch::start();
        let d = draft(&migrations, &changed, &none, &none)?;
        let (draft_wall, draft_cpu) = watch.read();
        let written = d.write(&options_for("change"))?;
        let (wall, cpu) = watch.read();
        if i > 0 {
            samples.push(wall, cpu);
            draft_samples.push(draft_wall, draft_cpu);
            let write_cpu = cpu.zip(draft_cpu).map(|(t, d)| t.saturating_sub(d));
            write_samples.push(wall - draft_wall, write_cpu);
        }
        let up = std::fs::read_to_string(written.path.join("up.sql"))?;
        expect_eq(
            "ADD COLUMN in the generated up.sql",
            add_columns(&up),
            expected,
        )?;
        std::fs::remove_dir_all(&written.path)?;
    }
    section.row(
        "strata",
        "`strata_migrate::draft()` + `Draft::write()`: read the folder and its snapshot chain, diff, render up + down, write the folder",
        Ok(samples.summary()),
    );
    section.row(
        "strata",
        "… of which `draft()`: state (read folder, parse + verify the head snapshot) and both diffs (up and down, in parallel)",
        Ok(draft_samples.summary()),
    );
    section.row(
        "strata",
        "… of which `Draft::write()`: render, snapshot id + JSON, write the folder",
        Ok(write_samples.summary()),
    );
    let mut state_samples = Samples::default();
    for i in 0..=runs {
        let watch = Stopwatch::start();
        let state = strata_migrate::current_state(&migrations)?;
        let (wall, cpu) = watch.read();
        if i > 0 {
            state_samples.push(wall, cpu);
        }
        expect_eq("tables in the state", state.schema.tables.len(), tables)?;
    }
    section.row(
        "strata",
        "`current_state()` alone: read the folder, parse + verify the snapshot chain",
        Ok(state_samples.summary()),
    );

    progress("timing strata generate");
    let dir_arg = migrations.to_string_lossy().into_owned();
    let b_arg = b_json.to_string_lossy().into_owned();
    let a_arg = a_json.to_string_lossy().into_owned();
    let e2e = time_external(runs, || {
        let bin = strata_bin.as_ref().map_err(|e| e.clone())?;
        let run = external::run(
            bin,
            &[
                "generate", "--dir", &dir_arg, "--to", &b_arg, "--name", "change",
            ],
            None,
        )
        .map_err(|e| e.to_string())?;
        let folder = std::fs::read_dir(&migrations)
            .map_err(|e| e.to_string())?
            .flatten()
            .map(|e| e.path())
            .find(|p| p.to_string_lossy().ends_with("_change"))
            .ok_or("strata generate wrote no migration")?;
        let up = std::fs::read_to_string(folder.join("up.sql")).map_err(|e| e.to_string())?;
        expect_eq(
            "ADD COLUMN from strata generate",
            add_columns(&up),
            expected,
        )
        .map_err(|e| e.to_string())?;
        std::fs::remove_dir_all(&folder).map_err(|e| e.to_string())?;
        Ok(run)
    });
    section.row(
        "strata",
        "**`strata generate --to b.json`** (process start, read the folder + chain, parse the target snapshot, diff, render, write up.sql + down.sql + snapshot.json)",
        e2e,
    );

    progress("timing strata generate with nothing to do");
    let unchanged = time_external(runs, || {
        let bin = strata_bin.as_ref().map_err(|e| e.clone())?;
        let run = external::run(bin, &["generate", "--dir", &dir_arg, "--to", &a_arg], None)
            .map_err(|e| e.to_string())?;
        if !run.stdout.contains("No changes") {
            return Err(format!("expected no changes, got: {}", run.stdout));
        }
        Ok(run)
    });
    section.row(
        "strata",
        "`strata generate --to a.json` with no change (the second generate: writes nothing)",
        unchanged,
    );

    let (drizzle_run, kit_version) = time_drizzle(&drizzle, tables, runs, expected);
    section.row(
        "baseline",
        &format!("drizzle-kit {kit_version} `generate` of the same change (process start, load the TS schema, diff against the previous snapshot, write SQL + snapshot + journal)"),
        drizzle_run,
    );
    section.note(format!(
        "Same change on both sides: {expected} tables get `{} text`; each run checks the generated SQL has exactly {expected} `ADD COLUMN` statements.",
        database::ADDED_COLUMN
    ));
    section.note("Strata's target is a snapshot (no compile step); drizzle-kit's input is its TypeScript schema, so its time includes evaluating it.");
    let _ = std::fs::remove_dir_all(&dir);

    let mut out = header(
        &format!("Generate at {tables} tables"),
        &machine,
        runs,
        &load_before,
    );
    out.push_str(&section.to_markdown());
    Ok(out)
}

/// `drizzle-kit generate` of the 1% change on `tables` tables, `runs` times
/// after a warm-up, each run checked for `expected` added columns; and the
/// drizzle-kit version that was timed.
pub(crate) fn time_drizzle(
    drizzle: &std::result::Result<Drizzle, String>,
    tables: usize,
    runs: usize,
    expected: usize,
) -> (std::result::Result<Summary, String>, String) {
    progress("timing drizzle-kit generate");
    let timed = drizzle.as_ref().map_err(|e| e.clone()).and_then(|d| {
        d.prepare(tables).map_err(|e| e.to_string())?;
        time_external(runs, || {
            d.restore().map_err(|e| e.to_string())?;
            let run = d.generate().map_err(|e| e.to_string())?;
            let sql = d
                .generated_sql()
                .ok_or("drizzle-kit generate wrote no migration")?;
            expect_eq("ADD COLUMN from drizzle-kit", add_columns(&sql), expected)
                .map_err(|e| e.to_string())?;
            Ok(run)
        })
    });
    let version = drizzle
        .as_ref()
        .ok()
        .and_then(|d| npm_package_version(&d.node_modules(), "drizzle-kit"))
        .unwrap_or_else(|| "?".into());
    (timed, version)
}

/// The heading and machine lines of a generate report.
pub(crate) fn header(title: &str, machine: &Machine, runs: usize, load_before: &str) -> String {
    format!(
        "## {title} — {date}\n\n- Machine: {} CPUs ({}), {} RAM, {}\n- Each measurement: 1 warm-up run, then {runs} timed runs; load average at start {load_before}, at end {}\n\n",
        machine.cpus,
        machine.cpu_model,
        machine.memory,
        machine.os,
        load_average(),
        date = machine.date,
    )
}
