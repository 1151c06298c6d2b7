//! `push`: make a live database match a desired schema directly, without a
//! migration file. The plan is the differ's (`strata_postgres::render::plan`
//! from the live schema to the desired one); this module checks it against
//! the data and applies it.
//!
//! - Before anything runs, every change that adds `NOT NULL`, `UNIQUE`, a
//!   primary key or a unique index to an existing column is checked against
//!   the rows: violations are counted and the push refused
//!   ([`MigrateError::Violations`]).
//! - Destructive changes need `accept_data_loss`.
//! - Transactional statements run in one transaction under the migrator lock;
//!   statements that cannot run in a transaction (`CREATE INDEX
//!   CONCURRENTLY`, ...) run after it commits, one by one, and are reported.
//! - A `TRUNCATE` is never run.

use crate::apply::elapsed_ms;
use crate::error::{is_connection_lost, MigrateError};
use crate::lock::{lock, LockFailure};
use crate::options::Target;
use std::time::Instant;
use strata_postgres::error::ServerError;
use strata_postgres::quote::{ident, qualified};
use strata_postgres::render::Statement;
use strata_postgres::server_version::unmet_requirements;
use strata_schema::{diff, Change, PlannedChange, QualifiedName, RenameHints, Schema};
use tokio_postgres::Client;

/// Rows that block a constraint the push would add.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Violation {
    /// `schema.table`.
    pub table: String,
    /// The constrained columns.
    pub columns: Vec<String>,
    /// `NOT NULL`, `UNIQUE`, `PRIMARY KEY` or `UNIQUE INDEX name`.
    pub constraint: String,
    /// How many rows violate it (NULLs, or rows in duplicate groups).
    pub rows: i64,
}

/// What a push would do.
#[derive(Debug, Clone)]
pub struct PushPlan {
    /// The differ's changes, classified.
    pub changes: Vec<PlannedChange>,
    /// In order; `transactional == false` ones run after the transaction.
    pub statements: Vec<Statement>,
    /// Why each destructive change loses data.
    pub destructive: Vec<String>,
}

/// What a push did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PushReport {
    /// Statements run in the transaction.
    pub in_transaction: usize,
    /// Statements run after it, outside a transaction.
    pub after_transaction: Vec<String>,
    /// Wall time of the push.
    pub execution_ms: i64,
}

/// Diffs `live` (the database's schema, as introspected) against `desired`.
pub fn plan_push(live: &Schema, desired: &Schema) -> Result<PushPlan, MigrateError> {
    let hints = RenameHints::default();
    let changes = diff(live, desired, &hints).map_err(MigrateError::Diff)?;
    let migration =
        strata_postgres::render::plan(live, desired, &hints).map_err(MigrateError::Diff)?;
    let destructive = changes
        .iter()
        .filter_map(|c| c.classification.destructive.clone())
        .collect();
    Ok(PushPlan {
        changes,
        statements: migration.up.statements,
        destructive,
    })
}

/// Counts the rows that violate a constraint the plan adds to an existing
/// table (of `live`). Reads only.
pub async fn violations(
    target: &Target,
    live: &Schema,
    plan: &PushPlan,
) -> Result<Vec<Violation>, MigrateError> {
    let client = strata_postgres::connect::connect(&target.url)
        .await
        .map_err(MigrateError::Connect)?;
    let mut found = Vec::new();
    for change in &plan.changes {
        let Some(check) = checked(&change.change) else {
            continue;
        };
        // Only columns that exist now: a column added by this push is empty.
        let Some(t) = live.table(check.table) else {
            continue;
        };
        if !check
            .columns
            .iter()
            .all(|c| t.columns.iter().any(|tc| &tc.name == c))
        {
            continue;
        }
        let from = qualified(&check.table.schema, &check.table.name);
        let cols: Vec<String> = check.columns.iter().map(|c| ident(c)).collect();
        let partial: Vec<String> = check.predicate.iter().map(|p| format!("({p})")).collect();
        let where_all = |extra: Vec<String>| {
            let all: Vec<String> = partial.iter().cloned().chain(extra).collect();
            if all.is_empty() {
                String::new()
            } else {
                format!(" WHERE {}", all.join(" AND "))
            }
        };
        let mut rows = 0i64;
        if check.nulls_violate {
            let any_null = cols
                .iter()
                .map(|c| format!("{c} IS NULL"))
                .collect::<Vec<_>>()
                .join(" OR ");
            let filter = where_all(vec![format!("({any_null})")]);
            rows += count(&client, &format!("SELECT count(*) FROM {from}{filter}")).await?;
        }
        if check.duplicates_violate {
            // With NULLs distinct, rows with a NULL in the key never collide.
            let not_null = if check.nulls_equal {
                Vec::new()
            } else {
                cols.iter().map(|c| format!("{c} IS NOT NULL")).collect()
            };
            let filter = where_all(not_null);
            rows += count(
                &client,
                &format!(
                    "SELECT coalesce(sum(n), 0)::bigint FROM (SELECT count(*) AS n FROM {from}{filter} \
                     GROUP BY {} HAVING count(*) > 1) d",
                    cols.join(", ")
                ),
            )
            .await?;
        }
        if rows > 0 {
            found.push(Violation {
                table: format!("{}.{}", check.table.schema, check.table.name),
                columns: check.columns.clone(),
                constraint: check.constraint,
                rows,
            });
        }
    }
    Ok(found)
}

/// A constraint a change adds to existing data.
struct Checked<'a> {
    table: &'a QualifiedName,
    columns: Vec<String>,
    constraint: String,
    /// A NULL in any of the columns violates it (NOT NULL, primary key).
    nulls_violate: bool,
    /// Two rows with the same key violate it (unique, primary key).
    duplicates_violate: bool,
    /// For duplicates: NULL keys compare equal (`NULLS NOT DISTINCT`).
    nulls_equal: bool,
    /// A partial unique index's predicate.
    predicate: Option<&'a str>,
}

fn checked(change: &Change) -> Option<Checked<'_>> {
    let base = |table, columns, constraint| Checked {
        table,
        columns,
        constraint,
        nulls_violate: false,
        duplicates_violate: true,
        nulls_equal: false,
        predicate: None,
    };
    match change {
        Change::SetNotNull { table, column } => Some(Checked {
            nulls_violate: true,
            duplicates_violate: false,
            ..base(table, vec![column.clone()], "NOT NULL".into())
        }),
        Change::AddUnique { table, unique } => Some(Checked {
            nulls_equal: unique.nulls_not_distinct,
            ..base(
                table,
                unique.columns.clone(),
                format!("UNIQUE {}", unique.name),
            )
        }),
        Change::AddPrimaryKey { table, primary_key } => Some(Checked {
            nulls_violate: true,
            ..base(
                table,
                primary_key.columns.clone(),
                format!("PRIMARY KEY {}", primary_key.name),
            )
        }),
        Change::CreateIndex { table, index }
            if index.unique && index.keys.iter().all(|k| k.is_column) =>
        {
            Some(Checked {
                nulls_equal: index.nulls_not_distinct,
                predicate: index.predicate.as_deref(),
                ..base(
                    table,
                    index.keys.iter().map(|k| k.expression.clone()).collect(),
                    format!("UNIQUE INDEX {}", index.name),
                )
            })
        }
        _ => None,
    }
}

async fn count(client: &Client, sql: &str) -> Result<i64, MigrateError> {
    client
        .query_typed_one(sql, &[])
        .await
        .map(|r| r.get(0))
        .map_err(|e| MigrateError::Query {
            context: "counting rows that violate a new constraint".into(),
            server: Box::new(ServerError::from_driver(&e)),
            applied: Vec::new(),
        })
}

/// Applies a plan: refuses destructive changes without `accept_data_loss`
/// and any `TRUNCATE`, before running anything.
pub async fn apply_push(
    target: &Target,
    plan: &PushPlan,
    accept_data_loss: bool,
) -> Result<PushReport, MigrateError> {
    if let Some(s) = plan.statements.iter().find(|s| {
        s.sql
            .trim_start()
            .to_ascii_uppercase()
            .starts_with("TRUNCATE")
    }) {
        return Err(MigrateError::Truncate { sql: s.sql.clone() });
    }
    if !plan.destructive.is_empty() && !accept_data_loss {
        return Err(MigrateError::DataLoss {
            changes: plan.destructive.clone(),
        });
    }
    let mut client = strata_postgres::connect::connect(&target.url)
        .await
        .map_err(MigrateError::Connect)?;
    // A feature the server lacks would fail halfway as a syntax error;
    // refused here, before anything runs.
    let server = strata_postgres::connect::server_version(&client)
        .await
        .map_err(MigrateError::Connect)?;
    let unmet = unmet_requirements(plan.changes.iter().map(|c| &c.change), server);
    if !unmet.is_empty() {
        return Err(MigrateError::ServerTooOld { server, unmet });
    }
    let started = Instant::now();
    let failed = |e: &tokio_postgres::Error, sql: &str, committed: bool| {
        let server = Box::new(ServerError::from_driver(e));
        if is_connection_lost(e) {
            MigrateError::ConnectionLost {
                migration: "push".into(),
                server,
                applied: Vec::new(),
            }
        } else {
            MigrateError::PushStatement {
                sql: sql.to_string(),
                server,
                committed,
            }
        }
    };
    let (in_txn, after): (Vec<&Statement>, Vec<&Statement>) =
        plan.statements.iter().partition(|s| s.transactional);
    let txn = client
        .transaction()
        .await
        .map_err(|e| failed(&e, "BEGIN", false))?;
    lock(&txn, target).await.map_err(|f| match f {
        LockFailure::TimedOut(waited) => MigrateError::LockTimeout {
            table: target.tracking.display_name(),
            migration: "before the push".into(),
            waited,
            holder: None,
            applied: Vec::new(),
        },
        LockFailure::Db(e) => failed(&e, "taking the migrator lock", false),
    })?;
    for s in &in_txn {
        txn.batch_execute(&s.sql)
            .await
            .map_err(|e| failed(&e, &s.sql, false))?;
    }
    txn.commit()
        .await
        .map_err(|e| failed(&e, "COMMIT", false))?;
    let mut report = PushReport {
        in_transaction: in_txn.len(),
        ..PushReport::default()
    };
    for s in after {
        client
            .batch_execute(&s.sql)
            .await
            .map_err(|e| failed(&e, &s.sql, true))?;
        report.after_transaction.push(s.sql.clone());
    }
    report.execution_ms = elapsed_ms(started);
    Ok(report)
}
