//! `strata rollback`: undo the newest migrations with their down.sql.

use crate::args::RollbackArgs;
use crate::config::{confirm_protected, Action, Project};
use crate::error::CliError;
use crate::migrate::{from_migrate, load};
use crate::Outcome;
use std::fmt::Write as _;
use strata_migrate::RollbackOptions;

pub async fn run(args: RollbackArgs, project: &Project) -> Result<Outcome, CliError> {
    let (target, migrations) = load(&args.target, project)?;
    if !args.dry_run {
        confirm_protected(&project.env, Action::Rollback, args.yes)?;
    }
    let options = RollbackOptions {
        steps: args.steps,
        to: args.to,
        force: args.force,
        dry_run: args.dry_run,
    };
    let report = strata_migrate::rollback(&target, &migrations, &options)
        .await
        .map_err(|e| from_migrate(e, "rollback"))?;
    let mut text = String::new();
    for r in &report.rolled_back {
        let what = match (report.dry_run, r.record_only) {
            (true, false) => "would roll back",
            (true, true) => "would remove the record of",
            (false, false) => "rolled back",
            (false, true) => "removed the record of",
        };
        if report.dry_run {
            let _ = writeln!(text, "-- {what} {}", r.name);
            for s in &r.statements {
                let _ = writeln!(text, "{s}");
            }
        } else {
            let _ = writeln!(text, "{what} {} ({} ms)", r.name, r.execution_ms);
        }
    }
    if report.rolled_back.is_empty() {
        text.push_str("nothing to roll back\n");
    }
    Ok(Outcome {
        stdout: text,
        ..Outcome::default()
    })
}
