//! A finished statement: SQL text, parameters and the Rust type of a row;
//! and the ways to run one ([`Run`]).

use super::error::QueryError;
use super::exec::Executor;
use super::load_tree::Shape;
use super::row::FromRow;
use super::sql_writer::SqlWriter;
use super::value::Param;
use futures_util::{Stream, StreamExt, TryStreamExt};
use std::future::Future;
use tokio_postgres::types::ToSql;

/// A statement the builder can write and run.
#[diagnostic::on_unimplemented(
    message = "`{Self}` cannot be run yet",
    label = "not a complete statement",
    note = "an UPDATE or DELETE needs a filter: add `.filter(...)`, or `.all_rows()` to change every row on purpose"
)]
pub trait Statement: Sized {
    /// What one returned row decodes as (`()` without RETURNING).
    type Output: FromRow;

    /// Writes the SQL text and moves the values into the parameters.
    #[doc(hidden)]
    fn write(self, w: &mut SqlWriter);

    /// How result rows become output values (one each, unless a
    /// relational load assembles a tree).
    #[doc(hidden)]
    fn shape(&self) -> Shape {
        Shape::Rows
    }

    /// The SQL text and parameters.
    fn build(self) -> (String, Vec<Param>) {
        let mut w = SqlWriter::new();
        self.write(&mut w);
        w.finish()
    }

    /// The SQL text alone (for logs and tests; values are `$n` placeholders).
    fn to_sql(self) -> String {
        self.build().0
    }
}

fn refs(params: &[Param]) -> impl ExactSizeIterator<Item = &(dyn ToSql + Sync)> {
    params.iter().map(|p| &**p as &(dyn ToSql + Sync))
}

/// Runs statements. In scope through `strata::query::prelude::*`.
pub trait Run: Statement {
    /// Every row.
    fn all<E: Executor>(
        self,
        db: &E,
    ) -> impl Future<Output = Result<Vec<Self::Output>, QueryError>> + Send
    where
        Self::Output: Send,
    {
        let shape = self.shape();
        let (sql, params) = self.build();
        async move {
            let stmt = db.prepare_cached(&sql).await?;
            let rows = db.client().query_raw(&stmt, refs(&params)).await?;
            let rows: Vec<tokio_postgres::Row> = rows.try_collect().await?;
            shape.decode(&rows)
        }
    }

    /// Exactly one row ([`QueryError::NoRow`] or [`QueryError::TooManyRows`] otherwise).
    fn one<E: Executor>(
        self,
        db: &E,
    ) -> impl Future<Output = Result<Self::Output, QueryError>> + Send
    where
        Self::Output: Send,
    {
        let all = self.all(db);
        async move {
            let mut rows = all.await?;
            match rows.len() {
                1 => Ok(rows.remove(0)),
                0 => Err(QueryError::NoRow),
                n => Err(QueryError::TooManyRows(n)),
            }
        }
    }

    /// The first row, if any (add `.limit(1)` to a select so the server stops early).
    fn optional<E: Executor>(
        self,
        db: &E,
    ) -> impl Future<Output = Result<Option<Self::Output>, QueryError>> + Send
    where
        Self::Output: Send,
    {
        let all = self.all(db);
        async move { Ok(all.await?.into_iter().next()) }
    }

    /// Runs the statement; the number of rows it affected (or returned).
    fn execute<E: Executor>(self, db: &E) -> impl Future<Output = Result<u64, QueryError>> + Send {
        let (sql, params) = self.build();
        async move {
            let stmt = db.prepare_cached(&sql).await?;
            Ok(db.client().execute_raw(&stmt, refs(&params)).await?)
        }
    }

    /// The rows as a stream, decoded one by one as they arrive: for results
    /// too large to hold in memory.
    fn stream<E: Executor>(
        self,
        db: &E,
    ) -> impl Future<
        Output = Result<impl Stream<Item = Result<Self::Output, QueryError>> + Send, QueryError>,
    > + Send
    where
        Self::Output: Send,
    {
        let shape = self.shape();
        let (sql, params) = self.build();
        async move {
            let stmt = db.prepare_cached(&sql).await?;
            let rows = db.client().query_raw(&stmt, refs(&params)).await?;
            Ok(match shape {
                Shape::Rows => rows.map(|r| Self::Output::decode_row(&r?)).left_stream(),
                // A tree is whole only once every level has arrived.
                tree => {
                    let all = async move {
                        let rows: Vec<tokio_postgres::Row> = rows.try_collect().await?;
                        tree.decode::<Self::Output>(&rows)
                    };
                    futures_util::stream::once(all)
                        .map_ok(|trees| futures_util::stream::iter(trees.into_iter().map(Ok)))
                        .try_flatten()
                        .right_stream()
                }
            })
        }
    }
}

impl<S: Statement> Run for S {}
