//! Transactions as closures: commit on `Ok`, roll back on `Err`; a
//! transaction inside a transaction is a savepoint.
//!
//! ```no_run
//! use strata::query::prelude::*;
//! use strata::query::QueryError;
//! use strata_example_school::{NewUser, User};
//! # async fn example(mut db: strata::query::Connection) -> Result<(), QueryError> {
//! let id = db.transaction(async |tx| {
//!     let id = User::insert(NewUser::new("sub-1", "a@example.com")).returning(User::ID).one(tx).await?;
//!     // An inner failure rolls back to the savepoint only.
//!     let _ = tx.transaction(async |tx2| {
//!         User::insert(NewUser::new("sub-1", "duplicate@example.com")).execute(tx2).await?;
//!         Err::<(), _>(QueryError::NoRow)
//!     }).await;
//!     Ok::<_, QueryError>(id)
//! }).await?;
//! # let _ = id;
//! # Ok(())
//! # }
//! ```

use super::error::QueryError;
use super::exec::Executor;
use std::future::Future;
use strata_postgres::quote::ident;
use tokio_postgres::{Client, Statement};

/// An open transaction (or savepoint) on executor `E`; statements run on
/// it like on a connection.
pub struct Transaction<'a, E> {
    db: &'a E,
    depth: u32,
}

impl<E: Executor> Executor for Transaction<'_, E> {
    fn client(&self) -> &Client {
        self.db.client()
    }

    fn prepare_cached(
        &self,
        sql: &str,
    ) -> impl Future<Output = Result<Statement, QueryError>> + Send {
        self.db.prepare_cached(sql)
    }

    fn depth(&self) -> u32 {
        self.depth
    }

    fn mark_abandoned(&self, depth: u32) {
        self.db.mark_abandoned(depth);
    }

    fn abandoned(&self) -> u32 {
        self.db.abandoned()
    }

    fn clear_abandoned(&self) {
        self.db.clear_abandoned();
    }
}

/// Running a closure in a transaction. In scope through the prelude.
pub trait Transactional: Executor + Sized {
    /// Runs `f` in a transaction: `BEGIN`, then `COMMIT` when it returns
    /// `Ok`, `ROLLBACK` when it returns `Err` (whose error is returned).
    /// Inside a transaction this is a savepoint instead, so an inner
    /// failure undoes only the inner work. Taking `&mut self` keeps other
    /// statements off the connection while the transaction is open.
    fn transaction<T, Er, F>(&mut self, f: F) -> impl Future<Output = Result<T, Er>>
    where
        F: AsyncFnOnce(&mut Transaction<'_, Self>) -> Result<T, Er>,
        Er: From<QueryError>,
    {
        async move {
            let depth = self.depth();
            let savepoint = ident(&format!("strata_savepoint_{}", depth));
            let (begin, commit, rollback) = if depth == 0 {
                (
                    "BEGIN".to_string(),
                    "COMMIT".to_string(),
                    "ROLLBACK".to_string(),
                )
            } else {
                (
                    format!("SAVEPOINT {savepoint}"),
                    format!("RELEASE SAVEPOINT {savepoint}"),
                    format!("ROLLBACK TO SAVEPOINT {savepoint}"),
                )
            };
            let this: &Self = self;
            if depth == 0 && this.abandoned() != 0 {
                // An earlier transaction's future was dropped mid-way: its
                // work is still open on the server and must not become
                // part of this one.
                this.client()
                    .batch_execute("ROLLBACK")
                    .await
                    .map_err(QueryError::from)?;
                this.clear_abandoned();
            }
            this.client()
                .batch_execute(&begin)
                .await
                .map_err(QueryError::from)?;
            let guard = Abandoned {
                db: this,
                depth: depth + 1,
            };
            let mut tx = Transaction {
                db: this,
                depth: depth + 1,
            };
            let result = f(&mut tx).await;
            std::mem::forget(guard);
            // A savepoint inside this transaction whose future was dropped
            // left its work in place: never commit that.
            let inner_abandoned = this.abandoned() > depth + 1;
            match result {
                Ok(v) if !inner_abandoned => {
                    this.client()
                        .batch_execute(&commit)
                        .await
                        .map_err(QueryError::from)?;
                    Ok(v)
                }
                Ok(_) => {
                    this.client()
                        .batch_execute(&rollback)
                        .await
                        .map_err(QueryError::from)?;
                    this.clear_abandoned();
                    Err(QueryError::InnerTransactionAbandoned.into())
                }
                Err(e) => {
                    // The closure's error is the one worth reporting; a
                    // failed rollback means the connection is gone anyway.
                    let _ = this.client().batch_execute(&rollback).await;
                    if inner_abandoned {
                        this.clear_abandoned();
                    }
                    Err(e)
                }
            }
        }
    }
}

/// Armed while a transaction's closure runs: if its future is dropped
/// there (a timeout, a cancelled request), the connection learns that a
/// transaction at this depth was left open.
struct Abandoned<'a, E: Executor> {
    db: &'a E,
    depth: u32,
}

impl<E: Executor> Drop for Abandoned<'_, E> {
    fn drop(&mut self) {
        self.db.mark_abandoned(self.depth);
    }
}

impl<E: Executor> Transactional for E {}
