//! Where statements run: a connection with a prepared-statement cache.
//!
//! Every statement shape is prepared once per connection and then reused:
//! the SQL text of a shape does not depend on the values (they are
//! parameters), so the text is the cache key.

use super::error::QueryError;
use std::collections::HashMap;
use std::future::Future;
use std::sync::Mutex;
use tokio_postgres::{Client, Statement};

/// Something statements run on: a [`Connection`], a [`super::Transaction`],
/// or (feature `pool`) a pooled `deadpool_postgres::Object`.
pub trait Executor: Sync {
    /// The client the statements go to.
    fn client(&self) -> &Client;

    /// The prepared statement for `sql`, from this connection's cache.
    fn prepare_cached(
        &self,
        sql: &str,
    ) -> impl Future<Output = Result<Statement, QueryError>> + Send;

    /// How many transactions are open around this executor (0 outside one).
    fn depth(&self) -> u32 {
        0
    }
}

/// Prepared statements of one connection, by SQL text.
#[derive(Default)]
pub struct StatementCache {
    statements: Mutex<HashMap<String, Statement>>,
}

impl StatementCache {
    /// The cached statement for `sql`, preparing it on first use.
    pub async fn get(&self, client: &Client, sql: &str) -> Result<Statement, QueryError> {
        if let Some(s) = self.lock().get(sql) {
            return Ok(s.clone());
        }
        let s = client.prepare(sql).await?;
        self.lock().insert(sql.to_string(), s.clone());
        Ok(s)
    }

    /// How many statements are cached.
    pub fn len(&self) -> usize {
        self.lock().len()
    }

    /// True when nothing has been prepared yet.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<String, Statement>> {
        // A panic while holding the lock cannot leave the map inconsistent
        // (one insert), so a poisoned lock is still usable.
        self.statements
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }
}

/// A tokio-postgres client with a statement cache.
pub struct Connection {
    client: Client,
    cache: StatementCache,
}

impl Connection {
    /// Wraps a connected client (its connection task must be spawned).
    pub fn new(client: Client) -> Self {
        Self {
            client,
            cache: StatementCache::default(),
        }
    }

    /// The prepared statements so far.
    pub fn statement_cache(&self) -> &StatementCache {
        &self.cache
    }

    /// The wrapped client, for what the builder does not cover.
    pub fn into_client(self) -> Client {
        self.client
    }
}

impl From<Client> for Connection {
    fn from(client: Client) -> Self {
        Self::new(client)
    }
}

impl Executor for Connection {
    fn client(&self) -> &Client {
        &self.client
    }

    fn prepare_cached(
        &self,
        sql: &str,
    ) -> impl Future<Output = Result<Statement, QueryError>> + Send {
        self.cache.get(&self.client, sql)
    }
}
