//! Where statements run: a connection with a prepared-statement cache.
//!
//! Every statement shape is prepared once per connection and then reused:
//! the SQL text of a shape does not depend on the values (they are
//! parameters), so the text is the cache key. The cache is bounded (a
//! thousand shapes by default): shapes that vary without end, such as
//! inserts of ever-different row counts, evict the least recently used
//! statement, which tokio-postgres then closes on the server.

use super::error::QueryError;
use std::collections::HashMap;
use std::future::Future;
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::Mutex;
use tokio_postgres::{Client, Statement};

/// Something statements run on: a [`Connection`], a [`super::Transaction`],
/// or (feature `pool`) a pooled connection.
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

    /// Notes that the future of the transaction at `depth` (1 for the
    /// outermost) was dropped before it committed or rolled back.
    #[doc(hidden)]
    fn mark_abandoned(&self, _depth: u32) {}

    /// The outermost depth whose transaction was abandoned, 0 for none.
    #[doc(hidden)]
    fn abandoned(&self) -> u32 {
        0
    }

    /// Forgets abandoned transactions (once rolled back).
    #[doc(hidden)]
    fn clear_abandoned(&self) {}
}

/// Prepared statements of one connection, by SQL text, at most
/// `capacity` of them.
pub struct StatementCache {
    entries: Mutex<Entries>,
    capacity: usize,
}

#[derive(Default)]
struct Entries {
    /// Each statement with the tick of its last use.
    by_sql: HashMap<String, (Statement, u64)>,
    tick: u64,
}

impl Default for StatementCache {
    fn default() -> Self {
        Self::with_capacity(Self::DEFAULT_CAPACITY)
    }
}

impl StatementCache {
    /// How many statements a cache holds unless told otherwise.
    pub const DEFAULT_CAPACITY: usize = 1_000;

    /// A cache of at most `capacity` statements (at least one).
    pub fn with_capacity(capacity: usize) -> Self {
        Self {
            entries: Mutex::new(Entries::default()),
            capacity: capacity.max(1),
        }
    }

    /// The cached statement for `sql`, preparing it on first use.
    pub async fn get(&self, client: &Client, sql: &str) -> Result<Statement, QueryError> {
        {
            let mut e = self.lock();
            e.tick += 1;
            let tick = e.tick;
            if let Some((s, used)) = e.by_sql.get_mut(sql) {
                *used = tick;
                return Ok(s.clone());
            }
        }
        let s = client.prepare(sql).await?;
        let mut e = self.lock();
        if e.by_sql.len() >= self.capacity && !e.by_sql.contains_key(sql) {
            // Misses already cost a round trip, so a scan here is cheap.
            if let Some(oldest) = e
                .by_sql
                .iter()
                .min_by_key(|(_, (_, used))| *used)
                .map(|(k, _)| k.clone())
            {
                e.by_sql.remove(&oldest);
            }
        }
        let tick = e.tick;
        e.by_sql.insert(sql.to_string(), (s.clone(), tick));
        Ok(s)
    }

    /// The most statements this cache holds.
    pub fn capacity(&self) -> usize {
        self.capacity
    }

    /// How many statements are cached.
    pub fn len(&self) -> usize {
        self.lock().by_sql.len()
    }

    /// True when nothing has been prepared yet.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Entries> {
        // A panic while holding the lock cannot leave the map inconsistent
        // (one insert or removal), so a poisoned lock is still usable.
        self.entries
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }
}

/// A tokio-postgres client with a statement cache.
pub struct Connection {
    client: Client,
    cache: StatementCache,
    /// The outermost depth of a transaction whose future was dropped
    /// before it ended (0: none): its work is still open on the server.
    abandoned: AtomicU32,
}

impl Connection {
    /// Wraps a connected client (its connection task must be spawned).
    pub fn new(client: Client) -> Self {
        Self::with_cache(client, StatementCache::default())
    }

    /// Wraps a connected client with a cache of chosen size:
    /// `Connection::with_cache(client, StatementCache::with_capacity(100))`.
    pub fn with_cache(client: Client, cache: StatementCache) -> Self {
        Self {
            client,
            cache,
            abandoned: AtomicU32::new(0),
        }
    }

    /// True when a transaction began on this connection and its future
    /// was dropped before it ended (a timeout, a cancelled request): the
    /// server still holds its work, uncommitted. The next statement or
    /// transaction on this connection rolls it back first, and a pool
    /// does before it hands the connection out again.
    pub fn transaction_left_open(&self) -> bool {
        self.abandoned.load(Ordering::Acquire) == 1
    }

    /// Rolls back a transaction whose future was dropped, if there is one.
    async fn roll_back_abandoned(&self) -> Result<(), QueryError> {
        if self.transaction_left_open() {
            self.client.batch_execute("ROLLBACK").await?;
            self.abandoned.store(0, Ordering::Release);
        }
        Ok(())
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

    async fn prepare_cached(&self, sql: &str) -> Result<Statement, QueryError> {
        // Outside any live transaction (depth 1 abandoned means the
        // outermost one is gone), a statement must not run inside the
        // leftover one.
        self.roll_back_abandoned().await?;
        self.cache.get(&self.client, sql).await
    }

    fn mark_abandoned(&self, depth: u32) {
        let _ = self
            .abandoned
            .fetch_update(Ordering::AcqRel, Ordering::Acquire, |now| {
                (now == 0 || depth < now).then_some(depth)
            });
    }

    fn abandoned(&self) -> u32 {
        self.abandoned.load(Ordering::Acquire)
    }

    fn clear_abandoned(&self) {
        self.abandoned.store(0, Ordering::Release);
    }
}
