//! Recording migrations as applied without running them: for a database
//! that another tool (drizzle) already brought to that point.

use crate::apply::{ensure_table, lock_error};
use crate::error::MigrateError;
use crate::lock::lock;
use crate::migration::Migration;
use crate::options::Target;
use crate::tracking;
use strata_postgres::error::ServerError;
use tokio_postgres::types::Type;

/// Records each of `names` (folders of `migrations`) as applied, with the
/// checksum of its `up.sql`, in one locked transaction. Already recorded
/// ones are left alone. Returns the names recorded by this call.
pub async fn baseline(
    target: &Target,
    migrations: &[Migration],
    names: &[String],
) -> Result<Vec<String>, MigrateError> {
    let mut client = strata_postgres::connect::connect(&target.url)
        .await
        .map_err(MigrateError::Connect)?;
    ensure_table(&mut client, target).await?;
    let failed = |e: tokio_postgres::Error| MigrateError::TrackingTable {
        table: target.tracking.display_name(),
        server: Box::new(ServerError::from_driver(&e)),
    };
    let txn = client.transaction().await.map_err(failed)?;
    lock(&txn, target)
        .await
        .map_err(|f| lock_error(f, target, "recording the baseline", &[]))?;
    let sql = format!(
        "INSERT INTO {} (name, checksum, applied_at, statements_done, statements_total)
         VALUES ($1, $2, now(), $3, $3) ON CONFLICT (name) DO NOTHING",
        target.tracking.sql_name()
    );
    let mut recorded = Vec::new();
    for name in names {
        let m = migrations
            .iter()
            .find(|m| m.name() == name)
            .ok_or_else(|| MigrateError::UnknownMigration {
                name: name.clone(),
                applied: false,
            })?;
        let n = tracking::count(m.up.statements.len());
        let inserted = txn
            .execute_typed(
                &sql,
                &[
                    (&name, Type::TEXT),
                    (&m.checksum, Type::TEXT),
                    (&n, Type::INT4),
                ],
            )
            .await
            .map_err(failed)?;
        if inserted == 1 {
            recorded.push(name.clone());
        }
    }
    txn.commit().await.map_err(failed)?;
    Ok(recorded)
}
