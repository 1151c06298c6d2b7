//! A connection pool (feature `pool`, on [deadpool]) whose connections are
//! strata [`Connection`]s: each keeps its bounded statement cache for as
//! long as it lives in the pool, and never goes back to the pool inside a
//! transaction. Connections are opened as the CLI opens them (TLS as the
//! URL's `sslmode` asks).
//!
//! ```no_run
//! use strata::query::prelude::*;
//! use strata::query::{pool, PoolManager, QueryError};
//! # async fn example(url: &str) -> Result<(), QueryError> {
//! let pool = pool(url, 16)?;
//! let db = strata::query::connection(&pool).await?;
//! # let _ = db;
//! // Or chosen: a smaller statement cache per connection.
//! let manager = PoolManager::new(url)?.statement_cache_capacity(100);
//! let pool = strata::query::Pool::builder(manager).max_size(16).build().unwrap();
//! # let _ = pool;
//! # Ok(())
//! # }
//! ```

use super::error::QueryError;
use super::exec::{Connection, Executor, StatementCache};
use deadpool::managed::{Metrics, RecycleError, RecycleResult};
use std::future::Future;
use strata_postgres::connect::{cancel_query, connect, mask_url};
use tokio_postgres::{Client, Statement};

/// Opens and recycles the pool's connections, each as the CLI connects:
/// TLS as the URL's `sslmode` asks (`require`, `verify-full`, ...), a
/// connect timeout, passwords masked in every error.
pub struct PoolManager {
    url: String,
    cache_capacity: usize,
}

impl PoolManager {
    /// Connections to `url`, each with a cache of
    /// [`StatementCache::DEFAULT_CAPACITY`] statements. A URL that cannot
    /// be read is an error here, before any connection is tried.
    pub fn new(url: &str) -> Result<Self, QueryError> {
        let invalid = |reason: String| {
            QueryError::Pool(format!(
                "the URL {} cannot be read: {reason}",
                mask_url(url)
            ))
        };
        let (driver_url, _) =
            strata_postgres::tls::split_tls_params(url).map_err(|e| invalid(e.to_string()))?;
        driver_url
            .parse::<tokio_postgres::Config>()
            .map_err(|e| invalid(e.to_string()))?;
        Ok(Self {
            url: url.to_string(),
            cache_capacity: StatementCache::DEFAULT_CAPACITY,
        })
    }

    /// At most `n` prepared statements cached per connection.
    pub fn statement_cache_capacity(mut self, n: usize) -> Self {
        self.cache_capacity = n;
        self
    }
}

impl deadpool::managed::Manager for PoolManager {
    type Type = Connection;
    type Error = strata_postgres::Error;

    async fn create(&self) -> Result<Connection, strata_postgres::Error> {
        let client = connect(&self.url).await?;
        Ok(Connection::with_cache(
            client,
            StatementCache::with_capacity(self.cache_capacity),
        ))
    }

    async fn recycle(
        &self,
        db: &mut Connection,
        _: &Metrics,
    ) -> RecycleResult<strata_postgres::Error> {
        if db.client().is_closed() {
            return Err(RecycleError::message("the connection is closed"));
        }
        // A transaction whose future was dropped (a timeout, a cancelled
        // request) is still open on the server, maybe still running its
        // last statement: cancel that, then end the transaction. (Should
        // the cancel land on the ROLLBACK instead, the rollback fails and
        // the connection is dropped, never reused.) The cancel goes as the
        // connection went, over TLS when the URL asks; if it still fails,
        // the rollback waits for the statement to end.
        if db.transaction_left_open() {
            let _ = cancel_query(&self.url, &db.client().cancel_token()).await;
            db.client().batch_execute("ROLLBACK").await.map_err(|e| {
                RecycleError::message(format!("could not roll back a dropped transaction: {e}"))
            })?;
            db.clear_abandoned();
        }
        Ok(())
    }
}

/// The pool.
pub type Pool = deadpool::managed::Pool<PoolManager>;

/// A connection taken from the [`Pool`]; back in the pool when dropped.
pub type PooledConnection = deadpool::managed::Object<PoolManager>;

/// A pool of at most `max_size` connections to `url` (TLS as its `sslmode` asks).
pub fn pool(url: &str, max_size: usize) -> Result<Pool, QueryError> {
    Pool::builder(PoolManager::new(url)?)
        .max_size(max_size)
        .build()
        .map_err(|e| QueryError::Pool(e.to_string()))
}

/// A connection from the pool, waiting for one if all are in use.
pub async fn connection(pool: &Pool) -> Result<PooledConnection, QueryError> {
    pool.get().await.map_err(|e| {
        QueryError::Pool(match e {
            // The connect error says it all (URL masked, what to do).
            deadpool::managed::PoolError::Backend(e) => e.to_string(),
            other => other.to_string(),
        })
    })
}

impl Executor for PooledConnection {
    fn client(&self) -> &Client {
        (**self).client()
    }

    fn prepare_cached(
        &self,
        sql: &str,
    ) -> impl Future<Output = Result<Statement, QueryError>> + Send {
        (**self).prepare_cached(sql)
    }

    fn mark_abandoned(&self, depth: u32) {
        (**self).mark_abandoned(depth);
    }

    fn abandoned(&self) -> u32 {
        (**self).abandoned()
    }

    fn clear_abandoned(&self) {
        (**self).clear_abandoned();
    }
}
