//! The engine under test, seen through the calls the runner makes:
//! introspect a database, plan the `up` statements from one model to
//! another, and apply them the way a migrator does.

use crate::error::{server_error, with_sources};
use strata_schema::{Filter, RenameHints, Schema};
use strata_testkit::TestDatabase;

/// One statement of a planned script.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PlannedStatement {
    pub sql: String,
    /// False when it must run outside a transaction (e.g. `CREATE INDEX
    /// CONCURRENTLY`).
    pub transactional: bool,
}

/// Introspects `db` on a fresh session with the default filter.
pub async fn introspect(db: &TestDatabase) -> Result<Schema, String> {
    let client = db.connect().await;
    strata_postgres::introspect::introspect(&client, &Filter::default())
        .await
        .map_err(|e| crate::outcome::one_line(&with_sources(&e)))
}

/// The `up` statements from `from` to `to`, in order.
pub fn plan_up(
    from: &Schema,
    to: &Schema,
    hints: &RenameHints,
) -> Result<Vec<PlannedStatement>, String> {
    let migration = strata_postgres::render::plan(from, to, hints)
        .map_err(|e| crate::outcome::one_line(&with_sources(&e)))?;
    Ok(migration
        .up
        .statements
        .into_iter()
        .map(|s| PlannedStatement {
            sql: s.sql,
            transactional: s.transactional,
        })
        .collect())
}

/// Applies `statements` as the migrator does: each run of transactional
/// statements inside one transaction, each non-transactional statement on
/// its own. Running a run in one transaction matters: some statements are
/// valid alone but not together (a new enum label used in the same
/// transaction). On failure, says which statement and why.
pub async fn apply(
    client: &tokio_postgres::Client,
    statements: &[PlannedStatement],
) -> Result<(), String> {
    let mut in_transaction = false;
    for statement in statements {
        if statement.transactional && !in_transaction {
            client
                .batch_execute("BEGIN")
                .await
                .map_err(|e| server_error(&e))?;
            in_transaction = true;
        } else if !statement.transactional && in_transaction {
            client
                .batch_execute("COMMIT")
                .await
                .map_err(|e| server_error(&e))?;
            in_transaction = false;
        }
        if let Err(e) = client.batch_execute(&statement.sql).await {
            if in_transaction {
                let _ = client.batch_execute("ROLLBACK").await;
            }
            return Err(format!(
                "{} in `{}`",
                server_error(&e),
                crate::outcome::one_line(&statement.sql)
            ));
        }
    }
    if in_transaction {
        client
            .batch_execute("COMMIT")
            .await
            .map_err(|e| format!("{} at COMMIT", server_error(&e)))?;
    }
    Ok(())
}
