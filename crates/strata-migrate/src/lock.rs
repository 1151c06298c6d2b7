//! The migrator lock: a transaction-level advisory lock, taken at the start
//! of every transaction that applies, records or removes a migration.
//!
//! Why not one session-level lock around the whole run: behind a
//! transaction-mode pooler (PgBouncer) consecutive transactions of one client
//! run on different server connections, so a session lock would be held by
//! whichever backend happened to run `pg_advisory_lock` and released (or
//! not) by another. A transaction-level lock lives exactly as long as the
//! transaction that changes the schema, on the backend that runs it, under
//! any pooler. Each locked transaction re-reads the migration's tracking row
//! before doing anything, so concurrent runs serialize per migration and
//! each migration is applied exactly once.

use crate::options::{setting, Target};
use std::time::Duration;
use tokio_postgres::types::Type;
use tokio_postgres::GenericClient;

/// The lock could not be had.
pub(crate) enum LockFailure {
    /// Waited `lock_wait` without getting it.
    TimedOut(Duration),
    Db(tokio_postgres::Error),
}

impl From<tokio_postgres::Error> for LockFailure {
    fn from(e: tokio_postgres::Error) -> Self {
        LockFailure::Db(e)
    }
}

/// Takes the lock of `target`'s tracking table in the open transaction `txn`, waiting at most
/// `lock_wait`, then sets the migration's own `lock_timeout` and
/// `statement_timeout` for the rest of the transaction.
pub(crate) async fn lock(txn: &impl GenericClient, target: &Target) -> Result<(), LockFailure> {
    let timeouts = &target.timeouts;
    let wait = setting(timeouts.lock_wait);
    let original: String = txn
        .query_typed_one(
            "SELECT current_setting('lock_timeout'), set_config('lock_timeout', $1, true)",
            &[(&wait, Type::TEXT)],
        )
        .await?
        .get(0);
    // One key per tracking table: two apps with separate tables in one
    // database do not wait for each other.
    let key = format!("strata.migrate:{}", target.tracking.display_name());
    if let Err(e) = txn
        .query_typed(
            "SELECT pg_advisory_xact_lock(hashtextextended($1, 0))",
            &[(&key, Type::TEXT)],
        )
        .await
    {
        // 55P03 lock_not_available: lock_timeout expired.
        if e.code().map(|c| c.code()) == Some("55P03") {
            return Err(LockFailure::TimedOut(timeouts.lock_wait));
        }
        return Err(e.into());
    }
    let lock_timeout = timeouts.lock_timeout.map(setting).unwrap_or(original);
    let statement_timeout = timeouts.statement_timeout.map(setting);
    txn.query_typed(
        "SELECT set_config('lock_timeout', $1, true), \
                set_config('statement_timeout', coalesce($2, current_setting('statement_timeout')), true)",
        &[(&lock_timeout, Type::TEXT), (&statement_timeout, Type::TEXT)],
    )
    .await?;
    Ok(())
}
