//! `strata import drizzle`: a drizzle-kit folder becomes a Strata one, and
//! (with --url) what drizzle applied is recorded as applied.

use crate::args::ImportDrizzleArgs;
use crate::error::CliError;
use crate::migrate::from_migrate;
use crate::Outcome;
use std::fmt::Write as _;
use strata_migrate::drizzle::{drizzle_applied, read_drizzle_folder, write_folder, DrizzleError};
use strata_migrate::{Target, TrackingTable};

/// `url`: the database drizzle migrated (`--url` or `--env`), if given.
pub async fn drizzle(args: ImportDrizzleArgs, url: Option<String>) -> Result<Outcome, CliError> {
    let table = |flag: &str, text: &str| {
        TrackingTable::parse(text).ok_or_else(|| {
            CliError::new(
                "strata::import::table",
                format!("{flag} `{text}` is not SCHEMA.TABLE"),
            )
            .help(format!(
                "write it as SCHEMA.TABLE, e.g. {flag} drizzle.__drizzle_migrations"
            ))
        })
    };
    let drizzle_table = table("--drizzle-table", &args.drizzle_table)?;
    let tracking = table("--tracking-table", &args.tracking_table)?;
    let folder = read_drizzle_folder(&args.dir).map_err(from_drizzle)?;
    // What drizzle applied is read before anything is written, so a bad URL
    // leaves no half-imported folder behind.
    let applied = match &url {
        Some(url) => Some(
            drizzle_applied(url, (&drizzle_table.schema, &drizzle_table.table), &folder)
                .await
                .map_err(from_drizzle)?,
        ),
        None => None,
    };
    let written = write_folder(&args.out, &folder.migrations).map_err(from_drizzle)?;
    let mut text = String::new();
    let _ = writeln!(
        text,
        "imported {} drizzle migration(s) into {}",
        written.len(),
        args.out.display()
    );
    if let (Some(url), Some(applied)) = (&url, applied) {
        let target = Target {
            tracking,
            ..Target::new(url.clone())
        };
        let parsed =
            strata_migrate::load(&args.out).map_err(|e| from_migrate(e, "import drizzle"))?;
        let recorded = strata_migrate::baseline(&target, &parsed, &applied)
            .await
            .map_err(|e| from_migrate(e, "import drizzle"))?;
        let _ = writeln!(
            text,
            "recorded as applied (drizzle had applied them): {}",
            if recorded.is_empty() {
                "none".to_string()
            } else {
                recorded.join(", ")
            }
        );
    }
    Ok(Outcome {
        stdout: text,
        ..Outcome::default()
    })
}

fn from_drizzle(error: DrizzleError) -> CliError {
    // Reading drizzle's history fails the way the migrator's reads do.
    if let DrizzleError::History(e) = error {
        return from_migrate(e, "import drizzle");
    }
    let help = match &error {
        DrizzleError::UnknownHistory { .. } => "import from a checkout of drizzle-kit's folder that holds every migration the database has (pull, or check --drizzle-table)",
        DrizzleError::NotDrizzle(_) => "pass drizzle-kit's `out` folder (the one holding meta/_journal.json or the migration folders)",
        DrizzleError::OutputNotEmpty(_) => "pass --out with a new folder, or empty this one",
        DrizzleError::BadName { .. } => "Strata orders migrations by a numeric or timestamp prefix; rename the drizzle file and its journal tag",
        DrizzleError::Journal { .. } => "meta/_journal.json must be the journal drizzle-kit wrote",
        _ => "check the folder and its permissions",
    };
    CliError::new("strata::import::drizzle", error.to_string()).help(help)
}
