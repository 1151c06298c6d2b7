//! The tracking table: one row per applied (or, for a no-transaction
//! migration, partly applied) migration.
//!
//! | column | meaning |
//! |---|---|
//! | `name` | folder name, primary key |
//! | `checksum` | sha256 of `up.sql` when it was applied |
//! | `applied_at` | when it finished; `NULL` while a no-transaction migration is in progress |
//! | `execution_ms` | how long it ran |
//! | `statements_done`, `statements_total` | progress of a no-transaction migration (equal once applied) |
//! | `done_checksum` | checksum of the statements done so far (a no-transaction migration in progress) |
//! | `lease_holder`, `lease_until` | which run is executing a no-transaction migration, until when |
//!
//! Every query uses the unnamed statement (`query_typed`), never a named
//! prepared statement, so it works behind a transaction-mode pooler.

use crate::options::TrackingTable;
use tokio_postgres::types::Type;
use tokio_postgres::GenericClient;

/// One row of the tracking table.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TrackingRow {
    /// Folder name.
    pub name: String,
    /// sha256 of up.sql when it was applied.
    pub checksum: String,
    /// `applied_at` as the server prints it; `None` while in progress.
    pub applied_at: Option<String>,
    /// How long it ran.
    pub execution_ms: Option<i64>,
    /// Statements completed (progress of a no-transaction file).
    pub statements_done: usize,
    /// Statements in the file.
    pub statements_total: usize,
    /// Checksum of the statements done so far
    /// ([`crate::Migration::done_checksum`]), for a no-transaction migration.
    pub done_checksum: Option<String>,
    /// The run executing it now (no-transaction files), if any.
    pub lease_holder: Option<String>,
    /// The lease is still running (`lease_until > now()`).
    pub lease_live: bool,
}

impl TrackingRow {
    /// Fully applied (not a no-transaction migration still in progress).
    pub fn is_applied(&self) -> bool {
        self.applied_at.is_some()
    }
}

/// Whether the table exists (without needing any privilege on it).
///
/// Reads `pg_class` with a query, not `to_regclass`: name lookups go through
/// the backend's catalog cache, which taking an advisory lock does not
/// refresh, so right after waiting for a concurrent run's lock they can miss
/// the table that run just created.
pub(crate) async fn exists(
    client: &impl GenericClient,
    table: &TrackingTable,
) -> Result<bool, tokio_postgres::Error> {
    let row = client
        .query_typed_one(
            "SELECT EXISTS (SELECT FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
                            WHERE n.nspname = $1 AND c.relname = $2)",
            &[(&table.schema, Type::TEXT), (&table.table, Type::TEXT)],
        )
        .await?;
    Ok(row.get(0))
}

const COLUMNS: &str = "name, checksum, applied_at::text, execution_ms, statements_done, \
                       statements_total, lease_holder, coalesce(lease_until > now(), false), \
                       done_checksum";

fn from_row(row: &tokio_postgres::Row) -> TrackingRow {
    let count = |i: usize| usize::try_from(row.get::<_, i32>(i)).unwrap_or(0);
    TrackingRow {
        name: row.get(0),
        checksum: row.get(1),
        applied_at: row.get(2),
        execution_ms: row.get(3),
        statements_done: count(4),
        statements_total: count(5),
        lease_holder: row.get(6),
        lease_live: row.get(7),
        done_checksum: row.get(8),
    }
}

/// Every row; empty when the table does not exist yet.
pub(crate) async fn read_all(
    client: &impl GenericClient,
    table: &TrackingTable,
) -> Result<Vec<TrackingRow>, tokio_postgres::Error> {
    if !exists(client, table).await? {
        return Ok(Vec::new());
    }
    let sql = format!("SELECT {COLUMNS} FROM {}", table.sql_name());
    let rows = client.query_typed(&sql, &[]).await?;
    Ok(rows.iter().map(from_row).collect())
}

/// One row, read inside the caller's (locked) transaction.
pub(crate) async fn read_one(
    client: &impl GenericClient,
    table: &TrackingTable,
    name: &str,
) -> Result<Option<TrackingRow>, tokio_postgres::Error> {
    let sql = format!("SELECT {COLUMNS} FROM {} WHERE name = $1", table.sql_name());
    let row = client.query_typed_opt(&sql, &[(&name, Type::TEXT)]).await?;
    Ok(row.as_ref().map(from_row))
}

/// Creates the schema and table when missing. Run under the migrator lock:
/// `IF NOT EXISTS` alone races between concurrent runs. The schema is only
/// created when it is missing, so an existing schema needs no CREATE
/// privilege on the database.
pub(crate) async fn create(
    client: &impl GenericClient,
    table: &TrackingTable,
) -> Result<(), tokio_postgres::Error> {
    if exists(client, table).await? {
        return Ok(());
    }
    let schema_exists: bool = client
        .query_typed_one(
            "SELECT EXISTS (SELECT 1 FROM pg_namespace WHERE nspname = $1)",
            &[(&table.schema, Type::TEXT)],
        )
        .await?
        .get(0);
    if !schema_exists {
        client
            .batch_execute(&format!(
                "CREATE SCHEMA {}",
                strata_postgres::quote::ident(&table.schema)
            ))
            .await?;
    }
    client
        .batch_execute(&format!(
            "CREATE TABLE {} (
    name text PRIMARY KEY,
    checksum text NOT NULL,
    applied_at timestamptz,
    execution_ms bigint,
    statements_done integer NOT NULL DEFAULT 0,
    statements_total integer NOT NULL,
    done_checksum text,
    lease_holder text,
    lease_until timestamptz
)",
            table.sql_name()
        ))
        .await
}

/// Records a migration applied in the caller's transaction.
pub(crate) async fn insert_applied(
    client: &impl GenericClient,
    table: &TrackingTable,
    name: &str,
    checksum: &str,
    execution_ms: i64,
    statements: usize,
) -> Result<(), tokio_postgres::Error> {
    let sql = format!(
        "INSERT INTO {} (name, checksum, applied_at, execution_ms, statements_done, statements_total)
         VALUES ($1, $2, now(), $3, $4, $4)",
        table.sql_name()
    );
    let n = count(statements);
    client
        .execute_typed(
            &sql,
            &[
                (&name, Type::TEXT),
                (&checksum, Type::TEXT),
                (&execution_ms, Type::INT8),
                (&n, Type::INT4),
            ],
        )
        .await
        .map(drop)
}

/// Removes a migration's row (rollback).
pub(crate) async fn delete(
    client: &impl GenericClient,
    table: &TrackingTable,
    name: &str,
) -> Result<u64, tokio_postgres::Error> {
    let sql = format!("DELETE FROM {} WHERE name = $1", table.sql_name());
    client.execute_typed(&sql, &[(&name, Type::TEXT)]).await
}

/// A statement count as the table's integer type.
pub(crate) fn count(n: usize) -> i32 {
    i32::try_from(n).unwrap_or(i32::MAX)
}
