//! `strata status`: every migration's state, as a table or JSON.

use crate::args::{StatusArgs, StatusFormat};
use crate::config::Project;
use crate::error::CliError;
use crate::migrate::{from_migrate, load};
use crate::Outcome;
use serde_json::json;
use std::fmt::Write as _;
use strata_migrate::MigrationState;

pub async fn run(args: StatusArgs, project: &Project) -> Result<Outcome, CliError> {
    let (target, migrations) = load(&args.target, project)?;
    let status = strata_migrate::status(&target, &migrations)
        .await
        .map_err(|e| from_migrate(e, "status"))?;
    let mut out = Outcome::default();
    match args.format {
        StatusFormat::Json => {
            let entries: Vec<_> = status
                .entries
                .iter()
                .map(|e| {
                    let (done, total) = match e.state {
                        MigrationState::InProgress { done, total } => (Some(done), Some(total)),
                        _ => (None, None),
                    };
                    json!({
                        "name": e.name,
                        "state": e.state.as_str(),
                        "file_checksum": e.file_checksum,
                        "recorded_checksum": e.recorded_checksum,
                        "applied_at": e.applied_at,
                        "execution_ms": e.execution_ms,
                        "no_transaction": e.no_transaction,
                        "statements_done": done,
                        "statements_total": total,
                    })
                })
                .collect();
            let doc = json!({
                "tracking_table": status.tracking_table,
                "tracking_table_exists": status.table_exists,
                "migrations": entries,
            });
            out.stdout = serde_json::to_string_pretty(&doc).unwrap_or_default() + "\n";
        }
        StatusFormat::Text => {
            let width = status
                .entries
                .iter()
                .map(|e| e.name.len())
                .max()
                .unwrap_or(0);
            let mut text = String::new();
            for e in &status.entries {
                let detail = match &e.state {
                    MigrationState::Applied => e.applied_at.clone().unwrap_or_default(),
                    MigrationState::Modified => format!(
                        "applied with checksum {}, file now {}",
                        e.recorded_checksum.as_deref().unwrap_or(""),
                        e.file_checksum.as_deref().unwrap_or("")
                    ),
                    MigrationState::InProgress { done, total } => {
                        format!("{done} of {total} statements done; `strata migrate` resumes it")
                    }
                    MigrationState::OutOfOrder => {
                        "older than the newest applied migration; needs --allow-out-of-order".into()
                    }
                    MigrationState::MissingOnDisk => "applied, but its folder is gone".into(),
                    _ => String::new(),
                };
                let _ = writeln!(
                    text,
                    "{:<15} {:<width$}  {detail}",
                    e.state.as_str(),
                    e.name
                );
            }
            let count = |s: &MigrationState| status.with_state(s).len();
            let _ = writeln!(
                text,
                "{} applied, {} pending, {} out of order, {} modified, {} missing on disk, {} in progress ({})",
                count(&MigrationState::Applied),
                count(&MigrationState::Pending),
                count(&MigrationState::OutOfOrder),
                count(&MigrationState::Modified),
                count(&MigrationState::MissingOnDisk),
                status
                    .entries
                    .iter()
                    .filter(|e| matches!(e.state, MigrationState::InProgress { .. }))
                    .count(),
                status.tracking_table,
            );
            out.stdout = text;
        }
    }
    Ok(out)
}
