//! `strata-bench schema-engine`: the two measurements on an N-table
//! database (1,000 by default), ours and the baseline side by side.
//!
//! 1. Introspection into the model — `strata_postgres::introspect::introspect`
//!    and `strata inspect` — against one raw catalog query (`psql -c`, and the
//!    same query on an open connection as the floor for the library call).
//! 2. Diff of two N-table snapshots where 1% of the tables gain a column —
//!    `strata_schema::diff` + `strata_postgres::render::render`, and
//!    `strata diff --from a.json --to b.json` — against drizzle-kit
//!    `generate` of the same change from its own TypeScript schema.
//!
//! Every measurement gets one warm-up run (not counted), then `--runs` timed
//! runs; external programs are timed the same way ([`crate::external`]).

use crate::database::{self, ADDED_COLUMN};
use crate::external;
use crate::machine::{command_line, load_average, npm_package_version, Machine};
use crate::report::Section;
use crate::timing::{human, Samples, Stopwatch, Summary};
use std::path::PathBuf;
use std::time::Instant;
use strata_schema::{Change, Filter, RenameHints, Schema, Snapshot};

pub(crate) type Result<T> = std::result::Result<T, Box<dyn std::error::Error>>;

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
    let server_version: String = client.query_one("SHOW server_version", &[]).await?.get(0);
    let psql = strata_testkit::server()
        .bin_dir
        .as_ref()
        .map(|d| d.join("psql"))
        .filter(|p| p.is_file())
        .unwrap_or_else(|| PathBuf::from("psql"));

    progress(&format!("creating {tables} tables"));
    let start = Instant::now();
    for batch in database::create_batches(tables) {
        client.batch_execute(&batch).await?;
    }
    client.batch_execute("ANALYZE").await?;
    let build_time = start.elapsed();

    // --- 1. introspection
    let mut inspect = Section::new(format!(
        "1. Introspection of the {tables}-table database (`strata inspect`)"
    ));
    let filter = Filter::default();
    progress("timing introspect()");
    let mut samples = Samples::default();
    let mut base = Schema::default();
    for i in 0..=runs {
        let watch = Stopwatch::start();
        base = strata_postgres::introspect::introspect(&client, &filter).await?;
        let (wall, cpu) = watch.read();
        if i > 0 {
            samples.push(wall, cpu);
        }
        check_base(&base, tables)?;
    }
    let introspect_lib = samples.summary();
    inspect.row(
        "strata",
        "`strata_postgres::introspect::introspect()` on an open connection: catalog queries + building the model",
        Ok(introspect_lib),
    );

    progress("timing the raw catalog query");
    let mut samples = Samples::default();
    for i in 0..=runs {
        let watch = Stopwatch::start();
        let rows = client.query(database::RAW_CATALOG_QUERY, &[]).await?.len();
        let (wall, cpu) = watch.read();
        if i > 0 {
            samples.push(wall, cpu);
        }
        expect_eq("raw catalog query rows", rows, tables * 9)?;
    }
    inspect.row(
        "baseline",
        "one raw catalog query (pg_attribute ⋈ pg_class, columns only) on the same open connection",
        Ok(samples.summary()),
    );

    progress("timing strata inspect");
    let inspect_e2e = time_external(runs, || {
        let bin = strata_bin.as_ref().map_err(|e| e.clone())?;
        let run = external::run(bin, &["inspect", "--from", db.url()], None)
            .map_err(|e| e.to_string())?;
        let snapshot = Snapshot::from_json(&run.stdout).map_err(|e| e.to_string())?;
        if snapshot.schema.tables.len() != tables {
            return Err(format!(
                "strata inspect printed {} tables, expected {tables}",
                snapshot.schema.tables.len()
            ));
        }
        Ok(run)
    });
    inspect.row(
        "strata",
        "`strata inspect --from URL` (process start, connect, introspect, JSON snapshot to stdout)",
        inspect_e2e,
    );

    progress("timing psql -c");
    let psql_run = time_external(runs, || {
        let run = external::run(
            &psql,
            &[
                "-X",
                "-q",
                "-A",
                "-t",
                "-d",
                db.url(),
                "-c",
                database::RAW_CATALOG_QUERY,
            ],
            None,
        )
        .map_err(|e| e.to_string())?;
        expect_eq("psql rows", run.stdout.lines().count(), tables * 9)
            .map_err(|e| e.to_string())?;
        Ok(run)
    });
    inspect.row(
        "baseline",
        "`psql -X -A -t -c '<the raw catalog query>'` (process start, connect, query, rows to stdout)",
        psql_run,
    );
    inspect.note(format!(
        "The raw query reads only columns (name, type, not null, default): {} rows. `introspect()` reads every object kind the model holds (tables, columns, constraints, indexes, enums, sequences, views, functions, triggers, policies, grants, comments, ...) and builds the normalized model.",
        tables * 9
    ));

    // --- 2. diff
    progress("writing the two snapshots");
    client.batch_execute(&database::change_sql(tables)).await?;
    let changed = strata_postgres::introspect::introspect(&client, &filter).await?;
    let expected_changes = database::changed_count(tables);
    expect_eq(
        "columns added between the snapshots",
        column_count(&changed) - column_count(&base),
        expected_changes,
    )?;
    let dir = std::env::temp_dir().join(format!("strata-bench-{}", std::process::id()));
    std::fs::create_dir_all(&dir)?;
    let a_json = dir.join("a.json");
    let b_json = dir.join("b.json");
    std::fs::write(&a_json, Snapshot::new(base).to_json())?;
    std::fs::write(&b_json, Snapshot::new(changed).to_json())?;
    let snapshot_bytes = std::fs::metadata(&a_json)?.len();
    let a = Snapshot::from_json(&std::fs::read_to_string(&a_json)?)?.schema;
    let b = Snapshot::from_json(&std::fs::read_to_string(&b_json)?)?.schema;

    let mut diff = Section::new(format!(
        "2. Diff of two {tables}-table snapshots where {expected_changes} of the tables gain a column (`strata diff`)"
    ));
    let hints = RenameHints::default();
    progress("timing diff() + render()");
    let mut diff_samples = Samples::default();
    let mut render_samples = Samples::default();
    let mut both_samples = Samples::default();
    for i in 0..=runs {
        let watch = Stopwatch::start();
        let changes = strata_schema::diff(&a, &b, &hints)?;
        let (diff_wall, diff_cpu) = watch.read();
        let sql = strata_postgres::render::render(&changes).to_sql();
        let (wall, cpu) = watch.read();
        if i > 0 {
            diff_samples.push(diff_wall, diff_cpu);
            let render_cpu = cpu.zip(diff_cpu).map(|(t, d)| t.saturating_sub(d));
            render_samples.push(wall - diff_wall, render_cpu);
            both_samples.push(wall, cpu);
        }
        // Checked after the clock stops, on every run.
        let adds = changes
            .iter()
            .filter(|c| matches!(c.change, Change::AddColumn { .. }))
            .count();
        expect_eq("changes from diff()", changes.len(), expected_changes)?;
        expect_eq("AddColumn changes from diff()", adds, expected_changes)?;
        expect_eq(
            "ADD COLUMN statements rendered",
            add_columns(&sql),
            expected_changes,
        )?;
    }
    diff.row(
        "strata",
        "**`strata_schema::diff()` + `strata_postgres::render::render().to_sql()`** (models in memory)",
        Ok(both_samples.summary()),
    );
    diff.row("strata", "… of which `diff()`", Ok(diff_samples.summary()));
    diff.row(
        "strata",
        "… of which `render().to_sql()`",
        Ok(render_samples.summary()),
    );

    let mut plan_samples = Samples::default();
    for i in 0..=runs {
        let watch = Stopwatch::start();
        let migration = strata_postgres::render::plan(&a, &b, &hints)?;
        let up = migration.up.to_sql();
        let down = migration.down.to_sql();
        let (wall, cpu) = watch.read();
        if i > 0 {
            plan_samples.push(wall, cpu);
        }
        expect_eq(
            "ADD COLUMN in plan().up",
            add_columns(&up),
            expected_changes,
        )?;
        expect_eq(
            "DROP COLUMN in plan().down",
            down.matches("DROP COLUMN").count(),
            expected_changes,
        )?;
    }
    diff.row(
        "strata",
        "`strata_postgres::render::plan()`: up and down scripts, to SQL",
        Ok(plan_samples.summary()),
    );
    let mut parse_samples = Samples::default();
    let a_text = std::fs::read_to_string(&a_json)?;
    for i in 0..=runs {
        let watch = Stopwatch::start();
        let parsed = Snapshot::from_json(&a_text)?;
        if i > 0 {
            let (wall, cpu) = watch.read();
            parse_samples.push(wall, cpu);
        }
        drop(parsed);
    }
    diff.row(
        "strata",
        &format!(
            "`Snapshot::from_json()` of one snapshot ({:.1} MB)",
            snapshot_bytes as f64 / 1e6
        ),
        Ok(parse_samples.summary()),
    );

    progress("timing strata diff");
    let a_arg = a_json.to_string_lossy().into_owned();
    let b_arg = b_json.to_string_lossy().into_owned();
    let diff_e2e = time_external(runs, || {
        let bin = strata_bin.as_ref().map_err(|e| e.clone())?;
        let run = external::run(bin, &["diff", "--from", &a_arg, "--to", &b_arg], None)
            .map_err(|e| e.to_string())?;
        expect_eq(
            "ADD COLUMN from strata diff",
            add_columns(&run.stdout),
            expected_changes,
        )
        .map_err(|e| e.to_string())?;
        Ok(run)
    });
    diff.row(
        "strata",
        "`strata diff --from a.json --to b.json` (process start, read + parse both snapshots, diff, render, SQL to stdout)",
        diff_e2e,
    );

    progress("timing drizzle-kit generate");
    let drizzle_run = drizzle.as_ref().map_err(|e| e.clone()).and_then(|d| {
        d.prepare(tables).map_err(|e| e.to_string())?;
        time_external(runs, || {
            d.restore().map_err(|e| e.to_string())?;
            let run = d.generate().map_err(|e| e.to_string())?;
            let sql = d
                .generated_sql()
                .ok_or("drizzle-kit generate wrote no migration")?;
            expect_eq(
                "ADD COLUMN from drizzle-kit",
                add_columns(&sql),
                expected_changes,
            )
            .map_err(|e| e.to_string())?;
            Ok(run)
        })
    });
    let kit_version = drizzle
        .as_ref()
        .ok()
        .and_then(|d| npm_package_version(&d.node_modules(), "drizzle-kit"))
        .unwrap_or_else(|| "?".into());
    let orm_version = drizzle
        .as_ref()
        .ok()
        .and_then(|d| npm_package_version(&d.node_modules(), "drizzle-orm"))
        .unwrap_or_else(|| "?".into());
    diff.row(
        "baseline",
        &format!("drizzle-kit {kit_version} `generate` (process start, load the TS schema, diff against the previous snapshot, write SQL + snapshot + journal)"),
        drizzle_run,
    );
    diff.note(format!(
        "Same change on both sides: tables t_0000, t_0100, … get `{ADDED_COLUMN} text`; each run checks that the output has exactly {expected_changes} `ADD COLUMN` statements."
    ));
    diff.note("The snapshots are real introspections of the benchmark database, before and after the change.");
    diff.note("drizzle-kit's own input is its TypeScript schema (bench/drizzle/gen-schema.mjs), so its time includes compiling and evaluating that schema; its migrations folder is restored to the baseline before each run (not timed).");
    let _ = std::fs::remove_dir_all(&dir);

    let load_after = load_average();
    let node = command_line("node", &["--version"]).unwrap_or_else(|| "not found".into());
    let mut out = String::new();
    out.push_str(&format!(
        "## Schema engine at {tables} tables — {date}\n\n",
        date = machine.date
    ));
    out.push_str(&format!(
        "- Machine: {} CPUs ({}), {} RAM, {}\n",
        machine.cpus, machine.cpu_model, machine.memory, machine.os
    ));
    out.push_str(&format!(
        "- PostgreSQL {server_version} on the same machine (local TCP); node {node}, drizzle-kit {kit_version}, drizzle-orm {orm_version}\n"
    ));
    out.push_str(&format!(
        "- Database: {tables} tables × 9 columns (serial PK, text, unique varchar(255), FK to the previous table, timestamp default now(), boolean, jsonb, numeric(10,2), enum) + 1 index each; built in {}\n",
        human(build_time)
    ));
    out.push_str(&format!(
        "- Each measurement: 1 warm-up run, then {runs} timed runs. Median/min/max are wall clock; external programs are spawned with stdout captured and timed from spawn to exit. CPU is user + system time of our thread (library calls, nanosecond accounting) or of the finished child process (10 ms ticks); the server's own CPU time is in neither\n"
    ));
    out.push_str(&format!(
        "- Load average (1/5/15 min) at start: {load_before}; at end: {load_after}\n\n"
    ));
    out.push_str(&inspect.to_markdown());
    out.push('\n');
    out.push_str(&diff.to_markdown());
    Ok(out)
}

/// One warm-up run, then `runs` timed runs of an external measurement; the
/// first failure is the result (reported as "not measured" with its reason).
pub(crate) fn time_external(
    runs: usize,
    mut once: impl FnMut() -> std::result::Result<external::Run, String>,
) -> std::result::Result<Summary, String> {
    let mut samples = Samples::default();
    for i in 0..=runs {
        let run = once()?;
        if i > 0 {
            samples.push(run.elapsed, run.cpu);
        }
    }
    Ok(samples.summary())
}

/// The introspected model must be the database we built, or the timings mean nothing.
pub(crate) fn check_base(schema: &Schema, tables: usize) -> Result<()> {
    expect_eq("tables introspected", schema.tables.len(), tables)?;
    expect_eq("columns introspected", column_count(schema), tables * 9)?;
    let indexes: usize = schema.tables.iter().map(|t| t.indexes.len()).sum();
    expect_eq("indexes introspected", indexes, tables)?;
    let fks: usize = schema.tables.iter().map(|t| t.foreign_keys.len()).sum();
    expect_eq("foreign keys introspected", fks, tables)?;
    let uniques: usize = schema.tables.iter().map(|t| t.uniques.len()).sum();
    expect_eq("unique constraints introspected", uniques, tables)?;
    expect_eq("enums introspected", schema.enums.len(), 1)?;
    Ok(())
}

pub(crate) fn column_count(schema: &Schema) -> usize {
    schema.tables.iter().map(|t| t.columns.len()).sum()
}

pub(crate) fn add_columns(sql: &str) -> usize {
    sql.lines()
        .filter(|l| l.contains("ADD COLUMN") && l.contains(ADDED_COLUMN))
        .count()
}

pub(crate) fn expect_eq(what: &str, found: usize, expected: usize) -> Result<()> {
    if found == expected {
        Ok(())
    } else {
        Err(format!("{what}: found {found}, expected {expected}").into())
    }
}

pub(crate) fn progress(step: &str) {
    eprintln!("strata-bench: {step}");
}
