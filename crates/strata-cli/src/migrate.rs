//! `strata migrate`: apply pending migrations; also the pieces `status` and
//! `rollback` share (target options, loading the folder, error reports).

use crate::args::{MigrateArgs, MigrationTargetOptions};
use crate::config::{confirm_protected, Action, Project};
use crate::error::CliError;
use crate::Outcome;
use std::fmt::Write as _;
use std::time::Duration;
use strata_migrate::{
    FolderError, MigrateError, Migration, Progress, RunOptions, Target, Timeouts, TrackingTable,
};

pub async fn run(args: MigrateArgs, project: &Project) -> Result<Outcome, CliError> {
    let (target, migrations) = load(&args.target, project)?;
    if !args.dry_run {
        confirm_protected(&project.env, Action::Migrate, args.yes)?;
    }
    let options = RunOptions {
        allow_out_of_order: args.allow_out_of_order,
        dry_run: args.dry_run,
        to: args.to,
    };
    let bar = crate::output::ProgressBar::stderr();
    let mut progress = |p: Progress<'_>| match p {
        Progress::Started { name, index, total } => bar.show(index - 1, total, name),
        Progress::Finished {
            name, index, total, ..
        } => bar.show(index, total, name),
        _ => {}
    };
    let result =
        strata_migrate::migrate_with_progress(&target, &migrations, &options, &mut progress).await;
    bar.finish();
    let report = result.map_err(|e| from_migrate(e, "migrate"))?;
    let mut out = Outcome::default();
    for name in &report.missing_on_disk {
        out.stderr.push(format!(
            "warning: migration {name} is applied but its folder is not in {}",
            migrations_dir(&args.target, project).display()
        ));
    }
    let mut text = String::new();
    if report.dry_run {
        if report.planned.is_empty() {
            text.push_str("nothing to apply\n");
        }
        for p in &report.planned {
            let mut notes = Vec::new();
            if p.no_transaction {
                notes.push("no-transaction".to_string());
            }
            if p.resume_at > 0 {
                notes.push(format!("resumes at statement {}", p.resume_at + 1));
            }
            if p.out_of_order {
                notes.push("out of order".to_string());
            }
            let notes = if notes.is_empty() {
                String::new()
            } else {
                format!(" ({})", notes.join(", "))
            };
            let _ = writeln!(text, "-- would apply {}{notes}", p.name);
            for s in &p.statements {
                let _ = writeln!(text, "{s}");
            }
        }
    } else {
        for a in &report.applied {
            let mut notes = vec![format!("{} ms", a.execution_ms)];
            if a.no_transaction {
                notes.push("no-transaction".to_string());
            }
            if let Some(at) = a.resumed_at {
                notes.push(format!("resumed at statement {}", at + 1));
            }
            let _ = writeln!(text, "applied {} ({})", a.name, notes.join(", "));
        }
        for name in &report.applied_by_others {
            let _ = writeln!(text, "skipped {name} (applied by a concurrent run)");
        }
        if report.applied.is_empty() && report.applied_by_others.is_empty() {
            text.push_str("nothing to apply: the database is up to date\n");
        }
    }
    out.stdout = text;
    Ok(out)
}

/// Parses `500ms`, `5s`, `2m`/`2min`, `1h`, or a plain number of seconds.
pub fn parse_duration(text: &str) -> Result<Duration, String> {
    let text = text.trim();
    let split = text
        .find(|c: char| !(c.is_ascii_digit() || c == '.'))
        .unwrap_or(text.len());
    let (number, unit) = text.split_at(split);
    let value: f64 = number
        .parse()
        .map_err(|_| format!("`{text}` is not a duration; write e.g. 500ms, 5s, 2min"))?;
    let seconds = match unit.trim() {
        "ms" => value / 1000.0,
        "" | "s" => value,
        "m" | "min" => value * 60.0,
        "h" => value * 3600.0,
        other => {
            return Err(format!(
                "unknown unit `{other}` in `{text}`; use ms, s, min or h"
            ))
        }
    };
    Ok(Duration::from_secs_f64(seconds))
}

/// The migrations folder: `--dir`, else strata.toml's (or its default).
pub fn migrations_dir(options: &MigrationTargetOptions, project: &Project) -> std::path::PathBuf {
    project.migrations_dir(options.dir.clone())
}

/// The tracking table: `--tracking-table`, else strata.toml's (or its default).
pub fn tracking_table(option: Option<&str>, project: &Project) -> Result<TrackingTable, CliError> {
    let text = option.unwrap_or(&project.config.migrations.table);
    TrackingTable::parse(text).ok_or_else(|| {
        CliError::new(
            "strata::migrate::tracking_table",
            format!("tracking table `{text}` is not SCHEMA.TABLE"),
        )
        .help("write it as SCHEMA.TABLE, e.g. --tracking-table strata.migrations")
    })
}

/// The target (the project's database: `--url`, the environment's, or the
/// dev database) and the parsed folder, before any database work.
pub fn load(
    options: &MigrationTargetOptions,
    project: &Project,
) -> Result<(Target, Vec<Migration>), CliError> {
    let tracking = tracking_table(options.tracking_table.as_deref(), project)?;
    let target = Target {
        url: project.database_url()?,
        tracking,
        timeouts: Timeouts {
            lock_wait: options.lock_wait,
            lock_timeout: options.lock_timeout,
            statement_timeout: options.statement_timeout,
            lease: options.lease,
        },
    };
    let migrations = strata_migrate::load(&migrations_dir(options, project))
        .map_err(|e| from_migrate(e, "migrate"))?;
    Ok((target, migrations))
}

/// "Applied before the failure: ..." for errors in the middle of a run.
fn applied_note(applied: &[String], verb: &str) -> String {
    if applied.is_empty() {
        format!("nothing was {verb} by this run before the failure")
    } else {
        format!(
            "{verb} by this run before the failure: {}",
            applied.join(", ")
        )
    }
}

/// A migrator error as a report; `command` is the subcommand to re-run.
pub fn from_migrate(error: MigrateError, command: &str) -> CliError {
    let verb = if command == "rollback" {
        "rolled back"
    } else {
        "applied"
    };
    let message = error.to_string();
    match &error {
        MigrateError::Folder(f) => {
            let help = match f {
                FolderError::Missing(_) => "create the folder or point --dir at your migrations folder",
                FolderError::BadName { .. } => {
                    "name each migration folder <prefix>_<name>, e.g. 0001_create_users or 20261122143022_create_users"
                }
                FolderError::DuplicatePrefix { .. } => {
                    "renumber one of the two folders; if both are applied somewhere, keep the applied one's name"
                }
                FolderError::MissingUp { .. } => "add an up.sql (empty for a no-op) or remove the folder",
                _ => "fix the migrations folder",
            };
            CliError::new("strata::migrate::folder", message).help(help)
        }
        MigrateError::Script { .. } => CliError::new("strata::migrate::script", message)
            .help("directives are `-- strata:breakpoint` and `-- strata:no-transaction`, each on a line of its own"),
        MigrateError::Connect(e) => {
            let (text, server) = match e {
                strata_postgres::Error::Connect { url, server } => {
                    (format!("--url: could not connect to {url}"), Some(server.to_string()))
                }
                other => (format!("--url: {other}"), None),
            };
            CliError::new("strata::connect", text)
                .causes(server)
                .help("check that the server is running and reachable, and that the user, password and database in --url are right")
        }
        MigrateError::UnknownMigration { .. } => CliError::new("strata::migrate::unknown", message)
            .help("give the folder name of a migration, as `strata status` lists it"),
        MigrateError::Modified { .. } => CliError::new("strata::migrate::modified", message).help(
            "an applied migration must not change: restore its up.sql (e.g. `git checkout` it) and put the change in a new migration (a partly applied no-transaction migration may change only in the statements it has not run yet)",
        ),
        MigrateError::OutOfOrder { .. } => CliError::new("strata::migrate::out_of_order", message).help(
            "check that they do not conflict with the newer applied migrations, then re-run with --allow-out-of-order (or give them a newer prefix)",
        ),
        MigrateError::TrackingTable { table, server } => {
            let help = if server.code.as_deref() == Some("42501") {
                format!("the --url user may not create {table}: create it once as an owner (run `strata migrate` as one), grant CREATE on the database/schema, or choose --tracking-table in a schema this user owns")
            } else {
                format!("check that {table} is Strata's tracking table, or choose another with --tracking-table")
            };
            CliError::new("strata::migrate::tracking_table", message).help(help)
        }
        MigrateError::LockTimeout { applied, .. } => CliError::new("strata::migrate::lock_timeout", message)
            .causes([applied_note(applied, verb)])
            .help(format!("another `strata {command}` (or an app starting up) is running against this database: wait for it and re-run, or raise --lock-wait")),
        MigrateError::Statement { migration, progress, applied, server, .. } => {
            let state = match progress {
                Some((done, total)) => format!(
                    "`{migration}` runs outside a transaction: {done} of {total} statements completed and are recorded; a re-run resumes at statement {}",
                    done + 1
                ),
                None if command == "rollback" => format!("the rollback of `{migration}` was undone as a whole; it is still applied"),
                None => format!("`{migration}` was rolled back as a whole"),
            };
            CliError {
                message,
                code: server.code.as_ref().map(|c| format!("SQLSTATE {c}")),
                help: Some(server.hint.clone().map_or_else(
                    || format!("fix the cause and run `strata {command}` again"),
                    |h| format!("{h}; then run `strata {command}` again"),
                )),
                causes: None,
                snippet: None,
            }
            .causes([state, applied_note(applied, verb)])
        }
        MigrateError::ConnectionLost { migration, applied, .. } => CliError::new("strata::migrate::connection_lost", message)
            .causes([
                format!("`{migration}` either committed or rolled back as a whole (a no-transaction file keeps its recorded progress)"),
                applied_note(applied, verb),
            ])
            .help(format!("once the server is back, run `strata status` to see where it stands and `strata {command}` again to finish")),
        MigrateError::Query { applied, .. } => CliError::new("strata::migrate::query", message)
            .causes([applied_note(applied, verb)])
            .help(format!("fix the cause and run `strata {command}` again")),
        MigrateError::LeaseLost { applied, .. } => CliError::new("strata::migrate::lease_lost", message)
            .causes([applied_note(applied, verb)])
            .help("another run took this migration over after this one stalled for longer than --lease; run `strata status`, and raise --lease if statements stall"),
        MigrateError::Irreversible { .. } => CliError::new("strata::rollback::irreversible", message)
            .help("nothing was rolled back; re-run with --force to remove them anyway (without down.sql only the record is removed; data dropped by the migration stays lost)"),
        MigrateError::MissingOnDisk { .. } => CliError::new("strata::rollback::missing", message)
            .help("restore its folder (with down.sql), or re-run with --force to only remove its record"),
        MigrateError::Partial { .. } => CliError::new("strata::rollback::partial", message)
            .help("finish it first with `strata migrate` (or undo its completed statements by hand and delete its tracking row)"),
        MigrateError::Diff(_) => CliError::new("strata::diff", message)
            .help("check the --to schema; `strata diff --from URL --to SRC` shows the same plan"),
        MigrateError::DataLoss { .. } => CliError::new("strata::push::data_loss", message)
            .help("nothing was changed; re-run with --accept-data-loss to apply it (or run it on a terminal to confirm), or change the --to schema to keep the data"),
        MigrateError::Violations { .. } => CliError::new("strata::push::violations", message)
            .help("nothing was changed; fix those rows first (fill in the NULLs, remove the duplicates) or leave the constraint out of the --to schema"),
        MigrateError::ServerTooOld { .. } => CliError::new("strata::push::server_version", message)
            .help("nothing was changed; upgrade the server, or leave those features out of the --to schema"),
        MigrateError::Truncate { .. } => CliError::new("strata::push::truncate", message)
            .help("nothing was changed; write a migration for this change instead"),
        MigrateError::PushStatement { committed, server, .. } => {
            let state = if *committed {
                "the transactional part was committed; this statement ran after it, outside a transaction"
            } else {
                "the push transaction was rolled back: nothing was changed"
            };
            CliError {
                message,
                code: server.code.as_ref().map(|c| format!("SQLSTATE {c}")),
                help: Some("fix the cause and run `strata push` again".into()),
                causes: None,
                snippet: None,
            }
            .causes([state.to_string()])
        }
        _ => CliError::new("strata::migrate", message),
    }
}

#[cfg(test)]
mod tests {
    use super::parse_duration;
    use std::time::Duration;

    #[test]
    fn durations() {
        assert_eq!(parse_duration("500ms"), Ok(Duration::from_millis(500)));
        assert_eq!(parse_duration("5s"), Ok(Duration::from_secs(5)));
        assert_eq!(parse_duration("5"), Ok(Duration::from_secs(5)));
        assert_eq!(parse_duration("2min"), Ok(Duration::from_secs(120)));
        assert!(parse_duration("5 parsecs").is_err());
        assert!(parse_duration("soon").is_err());
    }
}
