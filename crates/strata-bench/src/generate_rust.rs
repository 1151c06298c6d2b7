//! `strata-bench generate-rust`: `generate` on an N-table schema (1,000 by
//! default) declared in Rust with `#[derive(strata::Table)]`, the way an app
//! uses Strata: its own `db` binary (`strata_cli::run_app`) knows the schema
//! the code declares. Side by side with `drizzle-kit generate` of the same
//! change, in the same run.
//!
//! The benchmark writes a throw-away Cargo crate (one struct per table of
//! [`crate::database`], the 1% change behind its `changed` feature), builds
//! its `db` binary twice in release (without and with the feature; both
//! builds are timed and reported apart from `generate`), checks that each
//! declared schema is exactly the benchmark database (`db diff --from <db>
//! --to app` finds nothing), writes the baseline migration with the base
//! binary, then times the changed binary's `db generate`. The migration it
//! writes is removed after each run (not timed).
//!
//! The crate depends on the workspace's `strata` and `strata-cli` by path and
//! builds into `target/generate-rust` of the workspace, so the second and
//! later runs of the benchmark recompile only the schema crate.

use crate::cpu;
use crate::database::{self, ADDED_COLUMN, ENUM_NAME};
use crate::drizzle::Drizzle;
use crate::external;
use crate::generate::{header, time_drizzle};
use crate::machine::{load_average, Machine};
use crate::report::Section;
use crate::schema_engine::{add_columns, expect_eq, progress, time_external, Result};
use crate::timing::human;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

/// Options of `generate-rust`.
#[derive(Debug, clap::Args)]
pub struct Options {
    /// Number of tables (one `#[derive(Table)]` struct each).
    #[arg(long, default_value_t = 1000)]
    tables: usize,
    /// Timed runs per measurement (after one warm-up run).
    #[arg(long, default_value_t = 7)]
    runs: usize,
    /// The drizzle-kit npm project [default: bench/drizzle of the workspace].
    #[arg(long, value_name = "DIR")]
    drizzle: Option<PathBuf>,
    /// Keep the schema crate, its `db-base`/`db-changed` binaries and the
    /// baseline migrations folder (in the temp folder) to look at or profile.
    #[arg(long)]
    keep: bool,
}

/// The cargo feature of the generated crate that adds the 1% change.
const CHANGED_FEATURE: &str = "changed";

/// The generated crate's package name.
const CRATE_NAME: &str = "strata-bench-rust-schema";

pub async fn run(options: Options) -> Result<String> {
    let tables = options.tables;
    let runs = options.runs.max(1);
    let machine = Machine::detect();
    let load_before = load_average();
    let root = crate::workspace_root().canonicalize()?;
    let drizzle = Drizzle::find(
        &options
            .drizzle
            .clone()
            .unwrap_or_else(|| root.join("bench/drizzle")),
    );
    let expected = database::changed_count(tables);

    // One folder per table count: a rerun rewrites the same crate, so its
    // build replaces the previous artifacts instead of adding to them.
    let dir = std::env::temp_dir().join(format!("strata-bench-generate-rust-{tables}"));
    let _ = std::fs::remove_dir_all(&dir);
    progress(&format!(
        "writing a crate of {tables} derive(Table) structs in {}",
        dir.display()
    ));
    write_crate(&dir, &root, tables)?;
    let target_dir = root.join("target/generate-rust");

    progress("cargo build --release (base schema)");
    let base_build = build(&dir, &target_dir, false)?;
    let base_bin = dir.join("db-base");
    std::fs::copy(target_dir.join("release/db"), &base_bin)?;
    progress(&format!(
        "cargo build --release --features {CHANGED_FEATURE}"
    ));
    let changed_build = build(&dir, &target_dir, true)?;
    let changed_bin = dir.join("db-changed");
    std::fs::copy(target_dir.join("release/db"), &changed_bin)?;

    progress("checking both declared schemas against the benchmark database");
    check_against_database(&dir, &base_bin, &changed_bin, tables).await?;

    let migrations = dir.join("migrations");
    let migrations_arg = migrations.to_string_lossy().into_owned();
    // The baseline migration (not timed): the base binary's schema.
    external::run(
        &base_bin,
        &["generate", "--dir", &migrations_arg, "--name", "base"],
        Some(&dir),
    )?;
    let baseline = folders(&migrations)?;
    expect_eq("migrations after the baseline generate", baseline.len(), 1)?;

    let mut section = Section::new(format!(
        "Generate from Rust: a migration for {expected} of {tables} `#[derive(Table)]` tables gaining a column (the app's `db generate`), against drizzle-kit"
    ));

    progress("timing db generate");
    let e2e = time_external(runs, || {
        let run = external::run(
            &changed_bin,
            &["generate", "--dir", &migrations_arg, "--name", "change"],
            Some(&dir),
        )
        .map_err(|e| e.to_string())?;
        let written: Vec<PathBuf> = folders(&migrations)
            .map_err(|e| e.to_string())?
            .into_iter()
            .filter(|p| !baseline.contains(p))
            .collect();
        let [folder] = written.as_slice() else {
            return Err(format!(
                "db generate wrote {} migrations, expected 1",
                written.len()
            ));
        };
        let up = std::fs::read_to_string(folder.join("up.sql")).map_err(|e| e.to_string())?;
        expect_eq("ADD COLUMN from db generate", add_columns(&up), expected)
            .map_err(|e| e.to_string())?;
        // Back to the baseline for the next run (not timed).
        std::fs::remove_dir_all(folder).map_err(|e| e.to_string())?;
        Ok(run)
    });
    section.row(
        "strata",
        "**`db generate --name change`**, the app's binary (`strata_cli::run_app`): process start, build the schema from the derives, read the folder + snapshot chain, diff, render, write up.sql + down.sql + snapshot.json",
        e2e,
    );

    progress("timing db --version");
    // `main` builds the schema from the derives before it parses the
    // arguments, so this is process start + that build, and nothing else.
    let startup = time_external(runs, || {
        external::run(&changed_bin, &["--version"], Some(&dir)).map_err(|e| e.to_string())
    });
    section.row(
        "strata",
        "… of which process start + the schema from the derives (`db --version`: `declared()`, `App::new`, argument parsing)",
        startup,
    );

    progress("timing db generate with nothing to do");
    let unchanged = time_external(runs, || {
        let run = external::run(
            &base_bin,
            &["generate", "--dir", &migrations_arg],
            Some(&dir),
        )
        .map_err(|e| e.to_string())?;
        if !run.stdout.contains("No changes") {
            return Err(format!("expected no changes, got: {}", run.stdout));
        }
        Ok(run)
    });
    section.row(
        "strata",
        "`db generate` of the base binary (no change: writes nothing)",
        unchanged,
    );

    let (drizzle_run, kit_version) = time_drizzle(&drizzle, tables, runs, expected);
    section.row(
        "baseline",
        &format!("drizzle-kit {kit_version} `generate` of the same change (process start, load the TS schema, diff against the previous snapshot, write SQL + snapshot + journal)"),
        drizzle_run,
    );
    section.note(format!(
        "Same change on both sides: {expected} tables get `{ADDED_COLUMN} text` (in Rust: a `#[cfg(feature = \"{CHANGED_FEATURE}\")] pub {ADDED_COLUMN}: Option<String>` field); each run checks the generated SQL has exactly {expected} `ADD COLUMN` statements."
    ));
    section.note("Both declared schemas were checked against the benchmark database first: `db diff --from <database> --to app --exit-code` finds no difference, base and changed.");
    section.note("Compile time is not in these figures: it is measured separately below. drizzle-kit has no compile step; its time includes loading (transpiling and evaluating) its TypeScript schema.");

    let mut out = header(
        &format!("Generate from a Rust schema at {tables} tables"),
        &machine,
        runs,
        &load_before,
    );
    out.push_str(&section.to_markdown());
    out.push_str(&build_table(tables, &base_build, &changed_build));
    if options.keep {
        progress(&format!("kept {}", dir.display()));
    } else {
        let _ = std::fs::remove_dir_all(&dir);
    }
    Ok(out)
}

/// Writes the schema crate: Cargo.toml, the workspace's Cargo.lock (the same
/// dependency versions as the workspace, so its artifacts can be reused),
/// src/lib.rs with the declarations and src/bin/db.rs.
fn write_crate(dir: &Path, root: &Path, tables: usize) -> Result<()> {
    std::fs::create_dir_all(dir.join("src/bin"))?;
    std::fs::write(dir.join("Cargo.toml"), manifest(root))?;
    std::fs::copy(root.join("Cargo.lock"), dir.join("Cargo.lock"))?;
    std::fs::write(dir.join("src/lib.rs"), schema_source(tables))?;
    std::fs::write(dir.join("src/bin/db.rs"), DB_BIN)?;
    Ok(())
}

/// The crate's manifest: its own workspace, the strata crates by absolute
/// path (computed here, never written anywhere but the temp folder).
fn manifest(root: &Path) -> String {
    let path = |krate: &str| toml_string(&root.join("crates").join(krate).to_string_lossy());
    format!(
        r#"# Written by `strata-bench generate-rust`; thrown away after the run.
[package]
name = "{CRATE_NAME}"
version = "0.0.0"
edition = "2021"
publish = false

[features]
# The 1% change: every hundredth table gains a `{ADDED_COLUMN}` column.
{CHANGED_FEATURE} = []

[dependencies]
strata = {{ path = {strata}, features = ["chrono", "serde_json"] }}
strata-cli = {{ path = {cli} }}
chrono = {{ version = "0.4", default-features = false }}
serde_json = "1"

# Standalone: not a member of the workspace it sits next to.
[workspace]
"#,
        strata = path("strata"),
        cli = path("strata-cli"),
    )
}

/// A TOML basic string.
fn toml_string(s: &str) -> String {
    format!("\"{}\"", s.replace('\\', "\\\\").replace('"', "\\\""))
}

const DB_BIN: &str = r#"//! The benchmark app's `db` binary: every strata command, with the code's schema.

use std::process::ExitCode;

fn main() -> ExitCode {
    match strata_bench_rust_schema::declared() {
        Ok(declared) => strata_cli::run_app(
            strata_cli::App::new(declared.schema).with_renames(declared.renames),
            std::env::args_os(),
        ),
        Err(e) => {
            eprintln!("error: the declared schema is invalid: {e}");
            ExitCode::from(1)
        }
    }
}
"#;

/// The Rust declaration of the benchmark database: the enum, one struct per
/// table with the constraint and index names drizzle gives (see
/// [`crate::database`]), and `declared()`.
fn schema_source(tables: usize) -> String {
    let mut s = format!(
        r#"//! {tables} tables, declared with strata's derives (written by strata-bench).

use chrono::NaiveDateTime;
use strata::{{DeclaredSchema, PgEnum, SchemaBuilder, Table}};

#[derive(PgEnum)]
#[strata(name = "{ENUM_NAME}")]
pub enum RowStatus {{
    Active,
    Inactive,
    Archived,
}}
"#
    );
    for i in 0..tables {
        let name = database::table_name(i);
        let prev = database::table_name(i.saturating_sub(1));
        let rust = struct_name(i);
        let prev_rust = struct_name(i.saturating_sub(1));
        let note = if database::is_changed(i) {
            format!("    #[cfg(feature = \"{CHANGED_FEATURE}\")]\n    pub {ADDED_COLUMN}: Option<String>,\n")
        } else {
            String::new()
        };
        let _ = write!(
            s,
            r#"
#[derive(Table)]
#[strata(name = "{name}")]
#[strata(foreign_key(columns(prev_id), references({prev_rust}::ID), name = "{name}_prev_id_{prev}_id_fk"))]
#[strata(index(prev_id, name = "{name}_prev_id_idx"))]
pub struct {rust} {{
    #[strata(primary_key, serial)]
    pub id: i32,
    pub name: Option<String>,
    #[strata(sql_type = "varchar(255)", unique = "{name}_email_unique")]
    pub email: Option<String>,
    pub prev_id: Option<i32>,
    #[strata(default_sql = "now()")]
    pub created_at: Option<NaiveDateTime>,
    pub active: Option<bool>,
    pub data: Option<serde_json::Value>,
    #[strata(sql_type = "numeric(10,2)")]
    pub amount: Option<String>,
    pub status: Option<RowStatus>,
{note}}}
"#
        );
    }
    // One statement per table rather than one chain of a thousand calls.
    s.push_str(
        "\n/// The whole schema.\npub fn declared() -> Result<DeclaredSchema, strata::Error> {\n    let mut b = SchemaBuilder::new().enum_type::<RowStatus>();\n",
    );
    for i in 0..tables {
        let _ = writeln!(s, "    b = b.table::<{}>();", struct_name(i));
    }
    s.push_str("    b.build()\n}\n");
    s
}

/// The Rust name of table `i`: `T0000`, `T0001`, ...
fn struct_name(i: usize) -> String {
    format!("T{i:04}")
}

/// One timed `cargo build --release` of the `db` binary.
struct Build {
    elapsed: Duration,
    cpu: Option<Duration>,
    /// Units (crates, build scripts) compiled, and those already up to date.
    compiled: usize,
    fresh: usize,
    /// Units compiled that are not the schema crate's own (lib and bin):
    /// zero for a warm build.
    dependencies_compiled: usize,
}

fn build(dir: &Path, target_dir: &Path, changed: bool) -> Result<Build> {
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let mut command = Command::new(cargo);
    command
        .args(["build", "--release", "--bin", "db"])
        // Artifacts as JSON on stdout (to count what was compiled),
        // compiler messages rendered on stderr.
        .args(["--message-format", "json-render-diagnostics"])
        .arg("--target-dir")
        .arg(target_dir)
        .current_dir(dir);
    if changed {
        command.args(["--features", CHANGED_FEATURE]);
    }
    let cpu_before = cpu::children();
    let start = Instant::now();
    let output = command.output()?;
    let elapsed = start.elapsed();
    let cpu = cpu::since(cpu_before, cpu::children());
    if !output.status.success() {
        return Err(format!(
            "cargo build of the schema crate in {} failed ({}):\n{}",
            dir.display(),
            output.status,
            String::from_utf8_lossy(&output.stderr).trim()
        )
        .into());
    }
    let (mut compiled, mut fresh, mut dependencies_compiled) = (0, 0, 0);
    for line in String::from_utf8_lossy(&output.stdout).lines() {
        let Ok(message) = serde_json::from_str::<serde_json::Value>(line) else {
            continue;
        };
        if message["reason"] == "compiler-artifact" {
            if message["fresh"] == true {
                fresh += 1;
            } else {
                compiled += 1;
                let own = message["package_id"]
                    .as_str()
                    .is_some_and(|id| id.contains(CRATE_NAME));
                if !own {
                    dependencies_compiled += 1;
                }
            }
        }
    }
    Ok(Build {
        elapsed,
        cpu,
        compiled,
        fresh,
        dependencies_compiled,
    })
}

/// The compile times, a table of their own.
fn build_table(tables: usize, base: &Build, changed: &Build) -> String {
    let mut out = format!(
        "\n### Compile time of the {tables}-table schema crate (not in the figures above)\n\n| build | wall | CPU (cargo + rustc) | units compiled | up to date | cold or warm |\n|---|--:|--:|--:|--:|---|\n"
    );
    for (what, b) in [
        ("`cargo build --release --bin db`", base),
        (
            "`cargo build --release --bin db --features changed` (after the first)",
            changed,
        ),
    ] {
        // Warm: only the schema crate itself was compiled, every dependency
        // (strata, strata-cli and theirs) came from an earlier build.
        let kind = if b.dependencies_compiled == 0 {
            "warm (only the schema crate compiled)".to_string()
        } else {
            format!(
                "cold ({} dependency units compiled too)",
                b.dependencies_compiled
            )
        };
        let _ = writeln!(
            out,
            "| {what} | {} | {} | {} | {} | {kind} |",
            human(b.elapsed),
            b.cpu.map(human).unwrap_or_default(),
            b.compiled,
            b.fresh
        );
    }
    out.push_str("\n- Release profile, into the workspace's `target/generate-rust`; \"units\" are cargo's compiler artifacts (crates and build scripts).\n");
    out
}

/// Both binaries' schemas must be the benchmark database, base and after the
/// 1% change, or the timings compare different work.
/// The binaries run in `dir`, the schema crate's folder.
async fn check_against_database(
    dir: &Path,
    base: &Path,
    changed: &Path,
    tables: usize,
) -> Result<()> {
    let db = strata_testkit::TestDatabase::create().await;
    let client = db.connect().await;
    for batch in database::create_batches(tables) {
        client.batch_execute(&batch).await?;
    }
    no_difference(base, db.url(), dir)?;
    client.batch_execute(&database::change_sql(tables)).await?;
    no_difference(changed, db.url(), dir)?;
    Ok(())
}

/// `db diff --from <url> --to app --exit-code` finds nothing.
fn no_difference(bin: &Path, url: &str, dir: &Path) -> Result<()> {
    let output = Command::new(bin)
        .args(["diff", "--from", url, "--to", "app", "--exit-code"])
        .current_dir(dir)
        .output()?;
    if output.status.success() {
        return Ok(());
    }
    Err(format!(
        "the schema {} declares is not the benchmark database ({}): {}{}",
        bin.display(),
        output.status,
        String::from_utf8_lossy(&output.stdout).trim(),
        String::from_utf8_lossy(&output.stderr).trim()
    )
    .into())
}

/// The migration folders in `dir`, sorted.
fn folders(dir: &Path) -> std::io::Result<Vec<PathBuf>> {
    let mut found: Vec<PathBuf> = std::fs::read_dir(dir)?
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.is_dir())
        .collect();
    found.sort();
    Ok(found)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_change_is_behind_the_feature() {
        let source = schema_source(201);
        assert_eq!(source.matches("#[derive(Table)]").count(), 201);
        assert_eq!(
            source
                .matches("#[cfg(feature = \"changed\")]\n    pub note: Option<String>,")
                .count(),
            3
        );
        assert!(source.contains("references(T0000::ID), name = \"t_0001_prev_id_t_0000_id_fk\""));
        // Table 0 references itself, as in the database.
        assert!(source.contains("references(T0000::ID), name = \"t_0000_prev_id_t_0000_id_fk\""));
        assert!(source.contains("b = b.table::<T0200>();"));
    }

    #[test]
    fn manifest_paths_are_toml_strings() {
        assert_eq!(toml_string(r#"a\b"c"#), r#""a\\b\"c""#);
        let m = manifest(Path::new("/w"));
        assert!(m.contains(
            r#"strata = { path = "/w/crates/strata", features = ["chrono", "serde_json"] }"#
        ));
        assert!(m.contains("[workspace]"));
    }
}
