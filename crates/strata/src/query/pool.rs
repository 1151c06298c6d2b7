//! A connection pool (deadpool-postgres) as a first-class executor
//! (feature `pool`). A pooled connection caches its prepared statements
//! for as long as it lives in the pool.

use super::error::QueryError;
use super::exec::Executor;
use tokio_postgres::{Client, NoTls, Statement};

/// The pool.
pub use deadpool_postgres::Pool;

/// A connection taken from the [`Pool`]; back in the pool when dropped.
pub type PooledConnection = deadpool_postgres::Object;

/// A pool of at most `max_size` connections to `url` (without TLS).
pub fn pool(url: &str, max_size: usize) -> Result<Pool, QueryError> {
    let config: tokio_postgres::Config = url.parse()?;
    let manager = deadpool_postgres::Manager::from_config(
        config,
        NoTls,
        deadpool_postgres::ManagerConfig {
            recycling_method: deadpool_postgres::RecyclingMethod::Fast,
        },
    );
    Pool::builder(manager)
        .max_size(max_size)
        .build()
        .map_err(|e| QueryError::Pool(e.to_string()))
}

/// A connection from the pool, waiting for one if all are in use.
pub async fn connection(pool: &Pool) -> Result<PooledConnection, QueryError> {
    pool.get()
        .await
        .map_err(|e| QueryError::Pool(e.to_string()))
}

impl Executor for PooledConnection {
    fn client(&self) -> &Client {
        self
    }

    async fn prepare_cached(&self, sql: &str) -> Result<Statement, QueryError> {
        Ok(deadpool_postgres::ClientWrapper::prepare_cached(self, sql).await?)
    }
}
