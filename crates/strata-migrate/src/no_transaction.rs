//! `-- strata:no-transaction` files: statements run one by one outside a
//! transaction (so `CREATE INDEX CONCURRENTLY` works), with progress recorded
//! after each one, so a failed or killed run resumes at the statement that
//! did not complete.
//!
//! Exclusion is a lease in the migration's tracking row (`lease_holder`,
//! `lease_until`), taken and released under the migrator lock: the advisory
//! lock cannot be held across statements that run outside a transaction
//! (and a session lock is not safe behind a transaction-mode pooler). While
//! a statement runs, a second connection renews the lease every third of
//! its length; a run that dies stops renewing, and another run may take
//! over once the lease has expired.
//!
//! After a failure the file may be fixed and the run repeated: the row keeps
//! a checksum of the statements done so far (`done_checksum`), and as long as
//! those are unchanged the edited file resumes (its new checksum is recorded);
//! an edit to a statement that already ran is refused as a modification.
//!
//! A statement that completed just before a kill, but whose progress was
//! not yet recorded, runs again on resume: write such statements so that
//! they can be repeated (`CREATE INDEX CONCURRENTLY IF NOT EXISTS`, ...).

use crate::apply::{db_error, elapsed_ms, lock_error, modified, statement_error, Outcome};
use crate::error::MigrateError;
use crate::lock::lock;
use crate::migration::Migration;
use crate::options::{setting, Target};
use crate::report::AppliedMigration;
use crate::tracking::{self, count};
use std::time::{Duration, Instant};
use tokio_postgres::types::Type;
use tokio_postgres::Client;

/// Applies (or resumes) one no-transaction migration.
pub(crate) async fn apply(
    client: &Client,
    target: &Target,
    m: &Migration,
    applied: &[String],
) -> Result<Outcome, MigrateError> {
    let name = m.name();
    let table = target.tracking.sql_name();
    let holder = holder_id();
    let lease_secs = target.timeouts.lease.as_secs_f64();
    let total = m.up.statements.len();
    let db = |context: &str| {
        let context = format!("{context} `{name}`");
        move |e: tokio_postgres::Error| db_error(&e, context, name, applied)
    };

    let Some(start) = take_lease(client, target, m, &holder, applied).await? else {
        return Ok(Outcome::AlreadyApplied);
    };
    let heartbeat = spawn_heartbeat(target, name, &holder);
    let result = async {
        if target.timeouts.lock_timeout.is_some() || target.timeouts.statement_timeout.is_some()
        {
            // Session settings: behind a transaction-mode pooler they may land
            // on another server connection (see the crate docs).
            let lock_timeout = target.timeouts.lock_timeout.map(setting);
            let statement_timeout = target.timeouts.statement_timeout.map(setting);
            client
                .query_typed(
                    "SELECT set_config('lock_timeout', coalesce($1, current_setting('lock_timeout')), false), \
                            set_config('statement_timeout', coalesce($2, current_setting('statement_timeout')), false)",
                    &[(&lock_timeout, Type::TEXT), (&statement_timeout, Type::TEXT)],
                )
                .await
                .map_err(db("setting timeouts for"))?;
        }
        let started = Instant::now();
        let progress_sql = format!(
            "UPDATE {table} SET statements_done = $3, done_checksum = $5,
                    lease_until = now() + make_interval(secs => $4)
             WHERE name = $1 AND lease_holder = $2"
        );
        for (i, statement) in m.up.statements.iter().enumerate().skip(start) {
            client.batch_execute(&statement.sql).await.map_err(|e| {
                statement_error(&e, m, "up.sql", statement.line, Some((i, total)), applied)
            })?;
            let done = count(i + 1);
            let done_checksum = m.done_checksum(i + 1);
            let updated = client
                .execute_typed(
                    &progress_sql,
                    &[
                        (&name, Type::TEXT),
                        (&holder, Type::TEXT),
                        (&done, Type::INT4),
                        (&lease_secs, Type::FLOAT8),
                        (&done_checksum, Type::TEXT),
                    ],
                )
                .await
                .map_err(db("recording progress of"))?;
            if updated == 0 {
                return Err(MigrateError::LeaseLost {
                    migration: name.to_string(),
                    applied: applied.to_vec(),
                });
            }
        }
        Ok(elapsed_ms(started))
    }
    .await;
    heartbeat.abort();
    let execution_ms = match result {
        Ok(ms) => ms,
        Err(e) => {
            // Let a re-run resume at once instead of waiting out the lease.
            // Best effort: the connection may be what failed.
            let _ = client
                .execute_typed(
                    &format!(
                        "UPDATE {table} SET lease_holder = NULL, lease_until = NULL
                         WHERE name = $1 AND lease_holder = $2"
                    ),
                    &[(&name, Type::TEXT), (&holder, Type::TEXT)],
                )
                .await;
            return Err(e);
        }
    };

    // Done: mark it applied under the lock, if the lease is still ours.
    client
        .batch_execute("BEGIN")
        .await
        .map_err(db("finishing"))?;
    let finished: Result<(), MigrateError> = async {
        lock(client, target)
            .await
            .map_err(|f| lock_error(f, target, name, applied))?;
        let updated = client
            .execute_typed(
                &format!(
                    "UPDATE {table} SET applied_at = now(), execution_ms = $3, statements_done = $4,
                            lease_holder = NULL, lease_until = NULL
                     WHERE name = $1 AND lease_holder = $2"
                ),
                &[
                    (&name, Type::TEXT),
                    (&holder, Type::TEXT),
                    (&execution_ms, Type::INT8),
                    (&count(total), Type::INT4),
                ],
            )
            .await
            .map_err(db("recording"))?;
        if updated == 0 {
            return Err(MigrateError::LeaseLost {
                migration: name.to_string(),
                applied: applied.to_vec(),
            });
        }
        client
            .batch_execute("COMMIT")
            .await
            .map_err(db("committing"))
    }
    .await;
    if let Err(e) = finished {
        let _ = client.batch_execute("ROLLBACK").await;
        return Err(e);
    }
    Ok(Outcome::Applied(AppliedMigration {
        name: name.to_string(),
        execution_ms,
        statements: total,
        no_transaction: true,
        resumed_at: (start > 0).then_some(start),
    }))
}

/// Takes the lease, waiting (up to `lock_wait`) while another live run holds
/// it. Returns the index of the first statement to run, or `None` when the
/// migration is applied already.
async fn take_lease(
    client: &Client,
    target: &Target,
    m: &Migration,
    holder: &str,
    applied: &[String],
) -> Result<Option<usize>, MigrateError> {
    let name = m.name();
    let table = target.tracking.sql_name();
    let lease_secs = target.timeouts.lease.as_secs_f64();
    let deadline = Instant::now() + target.timeouts.lock_wait;
    let db = |context: &str| {
        let context = format!("{context} `{name}`");
        move |e: tokio_postgres::Error| db_error(&e, context, name, applied)
    };
    loop {
        // `Client::transaction` needs `&mut`; the statements are issued by
        // hand so the shared client serves the statements and the lease.
        client
            .batch_execute("BEGIN")
            .await
            .map_err(db("starting the lease transaction of"))?;
        let result: Result<Option<Option<usize>>, MigrateError> = async {
            lock(client, target)
                .await
                .map_err(|f| lock_error(f, target, name, applied))?;
            let row = tracking::read_one(client, &target.tracking, name)
                .await
                .map_err(db("reading the tracking row of"))?;
            match row {
                Some(r) if r.is_applied() && r.checksum != m.checksum => {
                    Err(modified(m, r.checksum))
                }
                Some(r) if r.is_applied() => Ok(Some(None)),
                Some(r) if !crate::status::resumable(m, &r) => Err(modified(m, r.checksum)),
                Some(r) if r.lease_live && r.lease_holder.as_deref() != Some(holder) => {
                    if Instant::now() >= deadline {
                        return Err(MigrateError::LockTimeout {
                            table: target.tracking.display_name(),
                            migration: name.to_string(),
                            waited: target.timeouts.lock_wait,
                            holder: r.lease_holder,
                            applied: applied.to_vec(),
                        });
                    }
                    Ok(None)
                }
                Some(r) => {
                    client
                        .execute_typed(
                            // The file may have changed after the statements
                            // done (resumable): record the file being finished.
                            &format!(
                                "UPDATE {table} SET lease_holder = $2,
                                        lease_until = now() + make_interval(secs => $3),
                                        checksum = $4, statements_total = $5
                                 WHERE name = $1"
                            ),
                            &[
                                (&name, Type::TEXT),
                                (&holder, Type::TEXT),
                                (&lease_secs, Type::FLOAT8),
                                (&m.checksum, Type::TEXT),
                                (&count(m.up.statements.len()), Type::INT4),
                            ],
                        )
                        .await
                        .map_err(db("taking the lease of"))?;
                    Ok(Some(Some(r.statements_done)))
                }
                None => {
                    let total = count(m.up.statements.len());
                    client
                        .execute_typed(
                            &format!(
                                "INSERT INTO {table} (name, checksum, statements_done, statements_total,
                                                      done_checksum, lease_holder, lease_until)
                                 VALUES ($1, $2, 0, $3, $6, $4, now() + make_interval(secs => $5))"
                            ),
                            &[
                                (&name, Type::TEXT),
                                (&m.checksum, Type::TEXT),
                                (&total, Type::INT4),
                                (&holder, Type::TEXT),
                                (&lease_secs, Type::FLOAT8),
                                (&m.done_checksum(0), Type::TEXT),
                            ],
                        )
                        .await
                        .map_err(db("taking the lease of"))?;
                    Ok(Some(Some(0)))
                }
            }
        }
        .await;
        match result {
            Ok(Some(start)) => {
                client
                    .batch_execute("COMMIT")
                    .await
                    .map_err(db("committing the lease of"))?;
                return Ok(start);
            }
            Ok(None) => {
                client
                    .batch_execute("COMMIT")
                    .await
                    .map_err(db("waiting for the lease of"))?;
                tokio::time::sleep(Duration::from_millis(200)).await;
            }
            Err(e) => {
                let _ = client.batch_execute("ROLLBACK").await;
                return Err(e);
            }
        }
    }
}

/// Renews the lease from a connection of its own while a statement runs.
fn spawn_heartbeat(target: &Target, name: &str, holder: &str) -> tokio::task::JoinHandle<()> {
    let url = target.url.clone();
    let sql = format!(
        "UPDATE {} SET lease_until = now() + make_interval(secs => $3)
         WHERE name = $1 AND lease_holder = $2",
        target.tracking.sql_name()
    );
    let (name, holder) = (name.to_string(), holder.to_string());
    let lease = target.timeouts.lease;
    tokio::spawn(async move {
        let Ok(client) = strata_postgres::connect::connect(&url).await else {
            return;
        };
        let secs = lease.as_secs_f64();
        loop {
            tokio::time::sleep(lease / 3).await;
            let renewed = client
                .execute_typed(
                    &sql,
                    &[
                        (&name, Type::TEXT),
                        (&holder, Type::TEXT),
                        (&secs, Type::FLOAT8),
                    ],
                )
                .await;
            if !matches!(renewed, Ok(1)) {
                return;
            }
        }
    })
}

/// Who holds a lease, for the row and for messages: host, process, start.
fn holder_id() -> String {
    let host = std::env::var("HOSTNAME")
        .ok()
        .or_else(|| std::fs::read_to_string("/etc/hostname").ok())
        .map(|h| h.trim().to_string())
        .filter(|h| !h.is_empty())
        .unwrap_or_else(|| "unknown-host".to_string());
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_nanos())
        .unwrap_or(0);
    format!("pid {} on {host} ({nanos})", std::process::id())
}
