//! `migrate`: plan from the status, then apply each pending migration in its
//! own locked transaction (or, for `-- strata:no-transaction` files,
//! statement by statement under a lease: see [`crate::no_transaction`]).

use crate::error::{is_connection_lost, MigrateError};
use crate::lock::{lock, LockFailure};
use crate::migration::Migration;
use crate::options::{RunOptions, Target};
use crate::report::{AppliedMigration, MigrateReport, PlannedMigration};
use crate::status::{compare, MigrationState};
use crate::tracking;
use std::time::Instant;
use strata_postgres::error::ServerError;
use tokio_postgres::Client;

/// What applying one migration came to.
pub(crate) enum Outcome {
    Applied(AppliedMigration),
    /// A concurrent run applied it first.
    AlreadyApplied,
}

/// Applies the pending migrations of `migrations` (the whole folder, in
/// order) to `target`. Refuses before running anything when an applied
/// migration's file changed, or when a pending one is out of order (unless
/// `options.allow_out_of_order`).
pub async fn migrate(
    target: &Target,
    migrations: &[Migration],
    options: &RunOptions,
) -> Result<MigrateReport, MigrateError> {
    migrate_with_progress(target, migrations, options, &mut |_| {}).await
}

/// Where a run is, reported while it runs (for a progress bar).
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Progress<'a> {
    /// Migration `index` (1-based) of `total` pending ones starts.
    Started {
        name: &'a str,
        index: usize,
        total: usize,
    },
    /// It is applied (or a concurrent run had applied it: `by_others`).
    Finished {
        name: &'a str,
        index: usize,
        total: usize,
        by_others: bool,
    },
}

/// [`migrate`], calling `progress` before and after each pending migration.
pub async fn migrate_with_progress(
    target: &Target,
    migrations: &[Migration],
    options: &RunOptions,
    progress: &mut (dyn FnMut(Progress<'_>) + Send),
) -> Result<MigrateReport, MigrateError> {
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

    if let Some(to) = &options.to {
        if !migrations.iter().any(|m| m.name() == to) {
            return Err(MigrateError::UnknownMigration {
                name: to.clone(),
                applied: rows.iter().any(|r| &r.name == to),
            });
        }
    }
    let modified = status.modified();
    if !modified.is_empty() {
        return Err(MigrateError::Modified {
            migrations: modified,
        });
    }
    let mut report = MigrateReport {
        dry_run: options.dry_run,
        missing_on_disk: status
            .with_state(&MigrationState::MissingOnDisk)
            .iter()
            .map(|e| e.name.clone())
            .collect(),
        ..MigrateReport::default()
    };
    // Pending in folder order, up to and including `--to`.
    let mut pending: Vec<(&Migration, &MigrationState)> = Vec::new();
    for m in migrations {
        let Some(entry) = status.entries.iter().find(|e| e.name == m.name()) else {
            continue;
        };
        if matches!(
            entry.state,
            MigrationState::Pending
                | MigrationState::OutOfOrder
                | MigrationState::InProgress { .. }
        ) {
            pending.push((m, &entry.state));
        }
        if options.to.as_deref() == Some(m.name()) {
            break;
        }
    }
    let out_of_order: Vec<String> = pending
        .iter()
        .filter(|(_, s)| **s == MigrationState::OutOfOrder)
        .map(|(m, _)| m.name().to_string())
        .collect();
    if !out_of_order.is_empty() && !options.allow_out_of_order {
        return Err(MigrateError::OutOfOrder {
            migrations: out_of_order,
            newest_applied: status.newest_applied().unwrap_or_default().to_string(),
        });
    }
    report.out_of_order = out_of_order;

    if options.dry_run {
        report.planned = pending
            .iter()
            .map(|(m, state)| {
                let resume_at = match state {
                    MigrationState::InProgress { done, .. } => *done,
                    _ => 0,
                };
                PlannedMigration {
                    name: m.name().to_string(),
                    no_transaction: m.up.no_transaction,
                    statements: m.up.statements[resume_at.min(m.up.statements.len())..]
                        .iter()
                        .map(|s| s.sql.clone())
                        .collect(),
                    resume_at,
                    out_of_order: **state == MigrationState::OutOfOrder,
                }
            })
            .collect();
        return Ok(report);
    }
    if pending.is_empty() {
        return Ok(report);
    }

    ensure_table(&mut client, target).await?;
    let mut applied: Vec<String> = Vec::new();
    let total = pending.len();
    for (i, (m, _)) in pending.into_iter().enumerate() {
        let (name, index) = (m.name(), i + 1);
        progress(Progress::Started { name, index, total });
        let outcome = if m.up.no_transaction {
            crate::no_transaction::apply(&client, target, m, &applied).await?
        } else {
            apply_in_transaction(&mut client, target, m, &applied).await?
        };
        let by_others = matches!(outcome, Outcome::AlreadyApplied);
        match outcome {
            Outcome::Applied(a) => {
                applied.push(a.name.clone());
                report.applied.push(a);
            }
            Outcome::AlreadyApplied => report.applied_by_others.push(m.name().to_string()),
        }
        progress(Progress::Finished {
            name,
            index,
            total,
            by_others,
        });
    }
    Ok(report)
}

/// Creates the tracking table under the lock when it is missing.
pub(crate) async fn ensure_table(client: &mut Client, target: &Target) -> Result<(), MigrateError> {
    let table = target.tracking.display_name();
    let create_error = |e: tokio_postgres::Error| MigrateError::TrackingTable {
        table: table.clone(),
        server: Box::new(ServerError::from_driver(&e)),
    };
    let txn = client.transaction().await.map_err(create_error)?;
    lock(&txn, target)
        .await
        .map_err(|f| lock_error(f, target, "creating the tracking table", &[]))?;
    tracking::create(&txn, &target.tracking)
        .await
        .map_err(create_error)?;
    txn.commit().await.map_err(create_error)
}

/// One migration in one transaction: lock, re-check the record, run, record.
async fn apply_in_transaction(
    client: &mut Client,
    target: &Target,
    m: &Migration,
    applied: &[String],
) -> Result<Outcome, MigrateError> {
    let name = m.name();
    let db = |context: &str| {
        let context = format!("{context} `{name}`");
        move |e: tokio_postgres::Error| db_error(&e, context, name, applied)
    };
    let txn = client
        .transaction()
        .await
        .map_err(db("starting the transaction of"))?;
    lock(&txn, target)
        .await
        .map_err(|f| lock_error(f, target, name, applied))?;
    if let Some(row) = tracking::read_one(&txn, &target.tracking, name)
        .await
        .map_err(db("reading the tracking row of"))?
    {
        return if row.checksum == m.checksum {
            Ok(Outcome::AlreadyApplied)
        } else {
            Err(modified(m, row.checksum))
        };
    }
    let started = Instant::now();
    for statement in &m.up.statements {
        txn.batch_execute(&statement.sql)
            .await
            .map_err(|e| statement_error(&e, m, "up.sql", statement.line, None, applied))?;
    }
    let execution_ms = elapsed_ms(started);
    tracking::insert_applied(
        &txn,
        &target.tracking,
        name,
        &m.checksum,
        execution_ms,
        m.up.statements.len(),
    )
    .await
    .map_err(db("recording"))?;
    txn.commit().await.map_err(db("committing"))?;
    Ok(Outcome::Applied(AppliedMigration {
        name: name.to_string(),
        execution_ms,
        statements: m.up.statements.len(),
        no_transaction: false,
        resumed_at: None,
    }))
}

pub(crate) fn elapsed_ms(started: Instant) -> i64 {
    i64::try_from(started.elapsed().as_millis()).unwrap_or(i64::MAX)
}

pub(crate) fn modified(m: &Migration, recorded: String) -> MigrateError {
    MigrateError::Modified {
        migrations: vec![crate::error::ModifiedMigration {
            name: m.name().to_string(),
            recorded,
            current: m.checksum.clone(),
        }],
    }
}

/// A bookkeeping failure: a lost connection, or a refused query.
pub(crate) fn db_error(
    e: &tokio_postgres::Error,
    context: String,
    migration: &str,
    applied: &[String],
) -> MigrateError {
    let server = Box::new(ServerError::from_driver(e));
    if is_connection_lost(e) {
        MigrateError::ConnectionLost {
            migration: migration.to_string(),
            server,
            applied: applied.to_vec(),
        }
    } else {
        MigrateError::Query {
            context,
            server,
            applied: applied.to_vec(),
        }
    }
}

/// A failed statement of `file` of `m`.
pub(crate) fn statement_error(
    e: &tokio_postgres::Error,
    m: &Migration,
    file: &str,
    line: usize,
    progress: Option<(usize, usize)>,
    applied: &[String],
) -> MigrateError {
    if is_connection_lost(e) {
        return db_error(e, String::new(), m.name(), applied);
    }
    MigrateError::Statement {
        migration: m.name().to_string(),
        path: m.files.path.join(file),
        line,
        server: Box::new(ServerError::from_driver(e)),
        progress,
        applied: applied.to_vec(),
    }
}

pub(crate) fn lock_error(
    failure: LockFailure,
    target: &Target,
    migration: &str,
    applied: &[String],
) -> MigrateError {
    match failure {
        LockFailure::TimedOut(waited) => MigrateError::LockTimeout {
            table: target.tracking.display_name(),
            migration: migration.to_string(),
            waited,
            holder: None,
            applied: applied.to_vec(),
        },
        LockFailure::Db(e) => db_error(
            &e,
            format!("taking the migrator lock for `{migration}`"),
            migration,
            applied,
        ),
    }
}
