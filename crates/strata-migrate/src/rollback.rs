//! `rollback`: run `down.sql` of the newest applied migrations, newest
//! first, each in its own locked transaction together with the removal of
//! its record, so a migration is either still applied or fully rolled back.

use crate::apply::{db_error, elapsed_ms, lock_error, statement_error};
use crate::error::MigrateError;
use crate::lock::lock;
use crate::migration::{name_order, Migration};
use crate::options::{RollbackOptions, Target};
use crate::report::{RollbackReport, RolledBack};
use crate::status::{compare, MigrationState};
use crate::tracking;
use std::time::Instant;
use strata_postgres::error::ServerError;

/// Rolls back `options.steps` (default 1) migrations, or every migration
/// applied after `options.to`. Refuses before running anything when one of
/// them is irreversible (unless `force`), modified, partly applied, or gone
/// from disk (unless `force`: then only its record is removed).
pub async fn rollback(
    target: &Target,
    migrations: &[Migration],
    options: &RollbackOptions,
) -> Result<RollbackReport, MigrateError> {
    let mut client = strata_postgres::connect::connect(&target.url)
        .await
        .map_err(MigrateError::Connect)?;
    let table = &target.tracking;
    let read_error = |e: tokio_postgres::Error| MigrateError::TrackingTable {
        table: table.display_name(),
        server: Box::new(ServerError::from_driver(&e)),
    };
    let exists = tracking::exists(&client, table).await.map_err(read_error)?;
    let rows = tracking::read_all(&client, table)
        .await
        .map_err(read_error)?;
    let status = compare(migrations, &rows, table.display_name(), exists);

    // Recorded migrations, newest first.
    let mut recorded: Vec<_> = status
        .entries
        .iter()
        .filter(|e| e.recorded_checksum.is_some())
        .collect();
    recorded.sort_by_key(|e| std::cmp::Reverse(name_order(&e.name)));
    let selected: Vec<_> = match &options.to {
        Some(to) => {
            if !recorded.iter().any(|e| &e.name == to) {
                return Err(MigrateError::UnknownMigration {
                    name: to.clone(),
                    applied: false,
                });
            }
            let keep = name_order(to);
            recorded
                .into_iter()
                .filter(|e| name_order(&e.name) > keep)
                .collect()
        }
        None => recorded
            .into_iter()
            .take(options.steps.unwrap_or(1))
            .collect(),
    };

    let mut irreversible = Vec::new();
    let mut plan: Vec<(String, Option<&Migration>)> = Vec::new();
    for entry in &selected {
        match entry.state {
            MigrationState::InProgress { done, total } => {
                return Err(MigrateError::Partial {
                    name: entry.name.clone(),
                    done,
                    total,
                })
            }
            MigrationState::Modified => {
                return Err(MigrateError::Modified {
                    migrations: status
                        .modified()
                        .into_iter()
                        .filter(|m| m.name == entry.name)
                        .collect(),
                })
            }
            MigrationState::MissingOnDisk if !options.force => {
                return Err(MigrateError::MissingOnDisk {
                    name: entry.name.clone(),
                })
            }
            _ => {}
        }
        let m = migrations.iter().find(|m| m.name() == entry.name);
        if let Some(why) = m.and_then(Migration::irreversible) {
            irreversible.push((entry.name.clone(), why));
        }
        plan.push((entry.name.clone(), m));
    }
    if !irreversible.is_empty() && !options.force {
        return Err(MigrateError::Irreversible {
            migrations: irreversible,
        });
    }

    let mut report = RollbackReport {
        dry_run: options.dry_run,
        ..RollbackReport::default()
    };
    let mut done: Vec<String> = Vec::new();
    for (name, m) in plan {
        let down = m.and_then(|m| m.down.as_ref());
        let statements: Vec<String> = down
            .map(|d| d.statements.iter().map(|s| s.sql.clone()).collect())
            .unwrap_or_default();
        let record_only = down.is_none();
        if options.dry_run {
            report.rolled_back.push(RolledBack {
                name,
                record_only,
                statements,
                execution_ms: 0,
            });
            continue;
        }
        let db = |context: &str| {
            let context = format!("{context} `{name}`");
            let (name, done) = (name.clone(), done.clone());
            move |e: tokio_postgres::Error| db_error(&e, context, &name, &done)
        };
        let started = Instant::now();
        if let (Some(m), Some(down)) = (m, down.filter(|d| d.no_transaction)) {
            // `-- strata:no-transaction` in down.sql (e.g. DROP INDEX
            // CONCURRENTLY): its statements run one by one outside a
            // transaction, then the record goes in a locked transaction.
            // Not resumable: a failure names the statement, and the
            // migration stays recorded as applied.
            for (i, statement) in down.statements.iter().enumerate() {
                client.batch_execute(&statement.sql).await.map_err(|e| {
                    statement_error(
                        &e,
                        m,
                        "down.sql",
                        statement.line,
                        Some((i, down.statements.len())),
                        &done,
                    )
                })?;
            }
        }
        let txn = client
            .transaction()
            .await
            .map_err(db("starting the rollback of"))?;
        lock(&txn, target)
            .await
            .map_err(|f| lock_error(f, target, &name, &done))?;
        if tracking::read_one(&txn, table, &name)
            .await
            .map_err(db("reading the tracking row of"))?
            .is_none()
        {
            // Rolled back meanwhile by a concurrent run.
            continue;
        }
        if let (Some(m), Some(down)) = (m, down.filter(|d| !d.no_transaction)) {
            for statement in &down.statements {
                txn.batch_execute(&statement.sql)
                    .await
                    .map_err(|e| statement_error(&e, m, "down.sql", statement.line, None, &done))?;
            }
        }
        tracking::delete(&txn, table, &name)
            .await
            .map_err(db("removing the record of"))?;
        txn.commit()
            .await
            .map_err(db("committing the rollback of"))?;
        done.push(name.clone());
        report.rolled_back.push(RolledBack {
            name,
            record_only,
            statements,
            execution_ms: elapsed_ms(started),
        });
    }
    Ok(report)
}
