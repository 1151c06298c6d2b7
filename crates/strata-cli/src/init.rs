//! `strata init`: a `strata.toml`, a migrations folder and a schema folder,
//! created only where nothing exists yet, so running it again changes
//! nothing.

use crate::error::CliError;
use crate::output::Paint;
use crate::Outcome;
use clap::Args;
use std::path::{Path, PathBuf};
use strata_config::CONFIG_FILE;

#[derive(Debug, Args)]
#[command(after_help = "\
Creates, in the current folder (or --dir), only what is missing:
  strata.toml          project settings and environments, commented
  migrations/          where migrations are written
  schema/schema.sql    the schema you want, as SQL (the default schema source)
Existing files are never overwritten: running it again changes nothing.

Examples:
  strata init
  strata init --dir services/api")]
pub struct InitArgs {
    /// The project folder.
    #[arg(long, value_name = "DIR", default_value = ".")]
    pub dir: PathBuf,
}

/// The commented `strata.toml` written by `strata init`.
pub const TEMPLATE: &str = r#"# Strata project settings. Every key is optional; the values shown are the defaults
# unless marked as an example.

[schema]
# Where the schema you want comes from, exactly one of:
sql = "schema"                       # a .sql file, or a folder of .sql files
# snapshot = "schema.json"           # a snapshot written by `strata inspect`
# app = "cargo run --quiet --bin db --"   # your app's own `db` binary: every command runs through it

[migrations]
dir = "migrations"
prefix = "index"                     # index (0001_), timestamp (20261122143022_) or date (2026-11-22_)
table = "strata.migrations"          # the tracking table, as "schema.table"

[filter]
# schemas = ["public"]               # globs; a leading ! excludes
# tables = ["!tmp_*"]

# Environments: pick one with --env NAME or STRATA_ENV. Without one (and without --url),
# commands use the project's dev database: `strata dev start`.
# ${VAR} comes from the environment, or from .env / .env.<env> next to this file.
# default_env = "staging"

[env.staging]
url = "${STAGING_DATABASE_URL}"

[env.prod]
url = "${DATABASE_URL}"
protected = true                     # push refused; migrate/rollback ask for confirmation
"#;

const SCHEMA_SQL: &str =
    "-- The schema you want. `strata diff --from \"$(strata dev url)\" --to schema/`\n\
                          -- shows what it takes to get there.\n";

const RUST_NOTE: &str = "\
This is a Rust crate. To declare the schema in Rust instead of SQL:
  - put the table definitions in a module (e.g. src/schema.rs),
  - add a `db` binary (src/bin/db.rs) whose main is
    `strata_cli::run_app(strata_cli::App::new(declared.schema).with_renames(declared.renames), std::env::args_os())`
    with `declared` from `strata::SchemaBuilder` (see examples/school),
    so `cargo run --bin db -- <command>` runs Strata with your schema built in,
  - and set `[schema] app = \"cargo run --quiet --bin db --\"` in strata.toml: the plain
    `strata` command then runs every command through it.";

/// One created-or-kept line.
fn report(out: &mut String, paint: Paint, path: &Path, created: bool) {
    let mark = if created {
        paint.green("created")
    } else {
        paint.dim("exists, kept")
    };
    out.push_str(&format!("{mark:>14}  {}\n", path.display()));
}

fn io_error(path: &Path, e: std::io::Error) -> CliError {
    CliError::new(
        "strata::init::io",
        format!("could not create {}", path.display()),
    )
    .causes([e.to_string()])
    .help("check that the folder exists and is writable")
}

/// Writes `text` to `path` unless it exists; returns whether it wrote.
fn create_file(path: &Path, text: &str) -> Result<bool, CliError> {
    use std::io::Write;
    match std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(path)
    {
        Ok(mut file) => {
            file.write_all(text.as_bytes())
                .map_err(|e| io_error(path, e))?;
            Ok(true)
        }
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => Ok(false),
        Err(e) => Err(io_error(path, e)),
    }
}

fn create_dir(path: &Path) -> Result<bool, CliError> {
    if path.is_dir() {
        return Ok(false);
    }
    std::fs::create_dir_all(path).map_err(|e| io_error(path, e))?;
    Ok(true)
}

pub fn run(args: InitArgs) -> Result<Outcome, CliError> {
    let dir = &args.dir;
    if !dir.is_dir() {
        return Err(CliError::new(
            "strata::init::no_dir",
            format!("{} is not a folder", dir.display()),
        )
        .help("create the folder first, or run `strata init` inside it"));
    }
    let paint = Paint::stdout();
    let mut out = String::new();
    let config = dir.join(CONFIG_FILE);
    report(&mut out, paint, &config, create_file(&config, TEMPLATE)?);
    let migrations = dir.join("migrations");
    report(&mut out, paint, &migrations, create_dir(&migrations)?);
    let schema_dir = dir.join("schema");
    // A schema folder that already has SQL is the user's: add nothing to it.
    let has_sql = std::fs::read_dir(&schema_dir)
        .map(|entries| {
            entries
                .flatten()
                .any(|e| e.path().extension().is_some_and(|x| x == "sql"))
        })
        .unwrap_or(false);
    if has_sql {
        report(&mut out, paint, &schema_dir, false);
    } else {
        create_dir(&schema_dir)?;
        let schema = schema_dir.join("schema.sql");
        report(&mut out, paint, &schema, create_file(&schema, SCHEMA_SQL)?);
    }
    if dir.join("Cargo.toml").is_file() {
        out.push('\n');
        out.push_str(RUST_NOTE);
        out.push('\n');
    }
    out.push_str("\nNext: `strata dev start` for a local database, then `strata config` to check the settings.\n");
    Ok(Outcome {
        stdout: out,
        ..Outcome::default()
    })
}

#[cfg(test)]
mod tests {
    use super::TEMPLATE;

    #[test]
    fn the_template_is_a_valid_config() {
        let config = strata_config::Config::parse("strata.toml".as_ref(), TEMPLATE.to_string())
            .expect("template parses");
        assert_eq!(config.environment_names(), ["prod", "staging"]);
    }
}
