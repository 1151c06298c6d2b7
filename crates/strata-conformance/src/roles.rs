//! Cluster-wide roles the cases grant to. Roles are not per database, so they
//! are created once, before the cases run, and never dropped (other cases may
//! still use them, and the test cluster is thrown away at the end).

use crate::error::ConformanceError;
use strata_postgres::quote;

/// Creates every role in `names` that does not exist yet (`NOLOGIN`). The
/// pseudo-role `PUBLIC` is skipped: it always exists and cannot be created.
/// A role created concurrently by someone else (SQLSTATE 42710) is fine.
pub async fn ensure_roles(
    client: &tokio_postgres::Client,
    names: &[String],
) -> Result<(), ConformanceError> {
    for name in names {
        if name.eq_ignore_ascii_case("public") {
            continue;
        }
        let exists = client
            .query_opt(
                "SELECT 1 FROM pg_catalog.pg_roles WHERE rolname = $1",
                &[name],
            )
            .await
            .map_err(|e| ConformanceError::Setup(e.to_string()))?
            .is_some();
        if exists {
            continue;
        }
        let sql = format!("CREATE ROLE {} NOLOGIN", quote::ident(name));
        if let Err(e) = client.batch_execute(&sql).await {
            let duplicate = e.code() == Some(&tokio_postgres::error::SqlState::DUPLICATE_OBJECT);
            if !duplicate {
                return Err(ConformanceError::Setup(format!(
                    "could not create role {}: {}",
                    quote::ident(name),
                    crate::server_error(&e)
                )));
            }
        }
    }
    Ok(())
}
