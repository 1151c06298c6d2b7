//! The query builder: typed statements over `#[derive(Table)]` types,
//! always parameterized, run on tokio-postgres.
//!
//! ```no_run
//! use strata::query::prelude::*;
//! use strata::query::QueryError;
//! use strata_example_school::{NewUser, Role, User, UserRole};
//! # async fn example(mut db: strata::query::Connection, sub: &str) -> Result<(), QueryError> {
//!
//! // SELECT ... FROM users WHERE cognito_sub = $1
//! let user: Option<User> = User::select()
//!     .filter(User::COGNITO_SUB.eq(sub))
//!     .optional(&db)
//!     .await?;
//!
//! // Chosen columns, a join, an order and a limit.
//! let names: Vec<(Option<String>, String)> = User::select()
//!     .inner_join::<UserRole>().on(User::ID.eq(UserRole::USER_ID))
//!     .inner_join::<Role>().on(UserRole::ROLE_ID.eq(Role::ID))
//!     .columns((User::FIRST_NAME, Role::NAME))
//!     .filter(Role::IS_SYSTEM.eq(false).and(User::EMAIL.like("%@example.com")))
//!     .order_by(Role::NAME.asc())
//!     .limit(10)
//!     .all(&db)
//!     .await?;
//!
//! // INSERT ... RETURNING *
//! let user: User = User::insert(NewUser::new("sub-1", "a@example.com"))
//!     .returning_all()
//!     .one(&db)
//!     .await?;
//!
//! // UPDATE needs a filter (or `.all_rows()`).
//! User::update().set(User::FIRST_NAME, "Jane").filter(User::ID.eq(user.id)).execute(&db).await?;
//!
//! // A user with their roles, in one statement (see [`relations`]).
//! let (user, roles): (User, Many<Role>) = User::load()
//!     .filter(User::ID.eq(7))
//!     .with(many_to_many(User::ID, UserRole::USER_ID, UserRole::ROLE_ID, Role::ID))
//!     .one(&db)
//!     .await?;
//!
//! // A transaction; a nested one is a savepoint.
//! db.transaction(async |tx| {
//!     User::insert(NewUser::new("sub-2", "b@example.com")).execute(tx).await?;
//!     Ok::<_, QueryError>(())
//! }).await?;
//! # let _ = (user, names, roles);
//! # Ok(())
//! # }
//! ```
//!
//! # Inserting
//! `#[derive(Table)]` also generates `New<Table>` (`NewUser`): its required
//! columns (NOT NULL, no default, not serial/identity/generated) are
//! `NewUser::new`'s arguments, so leaving one out does not compile; the
//! others are set with methods of the same name (`.first_name("Ann")`) or
//! left to their DEFAULT.
//!
//! [`insert_select`] (`Archive::insert_select((Archive::ID, Archive::NAME),
//! select)`) inserts the rows of a select instead: the select must return
//! the columns' Rust types in order; `ON CONFLICT` and `RETURNING` work as
//! for rows.
//!
//! # Outer joins
//! A table an outer join may leave unmatched is nullable in the query's
//! type, and whatever is selected from it decodes as `Option` by itself:
//! after `.left_join::<Role>()`, `Role::NAME` (a `String` column) reads
//! `Option<String>`, `Role::DESCRIPTION` (already `Option<String>`) stays
//! `Option<String>`, and `all::<Role>()` reads `Option<Role>` (`None` when
//! every column of `Role` is NULL in the row). Binding such a column to a
//! non-`Option` type does not compile.
//!
//! - `left_join::<T>()` makes `T` nullable; `right_join::<T>()` the tables
//!   joined before it; `full_join::<T>()` all of them. Later joins keep
//!   that, even an inner join whose condition rules the NULLs out.
//! - A select without `.columns(...)` reads its FROM table, so after a
//!   right or full join it reads `Option<T>`. Columns chosen before such
//!   a join all become `Option`s (even a `count`): choose them after.
//! - The same holds for CTEs (`left_join_cte`, `right_join_cte`, `full_join_cte`).
//! - An expression that reads a nullable table (`Role::NAME.eq("x")`, a
//!   `sql::<V>()` fragment over it) is `Option` too. Never NULL, so kept
//!   as they are: `count()`, `count_of`, `count_distinct`, `EXISTS`,
//!   `IS [NOT] NULL`; `coalesce(e, fallback)` is `Option` only if the
//!   fallback reads a nullable table. The rule over-approximates where
//!   exactness would need SQL the types do not see (a fragment that maps
//!   NULL to a value, a filter or later inner join that rules the NULLs
//!   out): those read `Option` although they are never NULL; the reverse,
//!   a non-`Option` that is NULL at run time, does not happen.
//! - The same goes for an expression NULL-able by its operands, joins
//!   aside: a comparison with an `Option` column or a `None` value
//!   (`User::FIRST_NAME.eq("Ann")` selects as `Option<bool>`), `x + None`,
//!   `IN` a list with `None` or a subquery of `Option`s.
//! - Filters, ORDER BY and join conditions read such columns unchanged.
//! - `.nullable()` still reads any expression as `Option`, for NULLs the
//!   types cannot see.
//!
//! # Common table expressions
//! `WITH busy (...) AS (SELECT ...)`: declare the CTE's name and typed
//! columns with [`crate::cte!`], bind it to a select of those types with
//! [`Cte::new`], then read it with [`Cte::select`] or join it with
//! [`Select::inner_join_cte`]; [`Cte::recursive`] for `WITH RECURSIVE`;
//! `Update::from_cte` / `Delete::using_cte` for `WITH ... UPDATE` and
//! `WITH ... DELETE`, `Insert::with` for `WITH ... INSERT`;
//! [`Cte::modifying`] for a data-modifying CTE (`WITH moved AS (DELETE ...
//! RETURNING ...)`), which PostgreSQL takes only at the top level, so a
//! select carrying one cannot be nested (a compile error); see [`cte`].
//!
//! # Enums
//! `#[derive(PgEnum)]` enums bind by label; to decode them implement
//! [`FromLabel`] with [`crate::from_label!`] (until the derive does it).
//!
//! # Types
//! A comparison takes a value, column or expression of the column's own
//! Rust type (`Option` aside): `User::ID.eq("x")` does not compile. A query
//! accepts only columns of the tables it reads: `User::select().filter(Role::ID.eq(1))`
//! does not compile until `Role` is joined. Rows decode by position into
//! the table struct, a value, or a tuple (`.columns((User::ID, User::EMAIL))`
//! gives `(i32, String)`).
//!
//! # SQL text
//! Values are bound parameters (`$1`, ...), identifiers are quoted by
//! [`strata_postgres::quote`], and the text of a statement depends only on
//! its shape, so each shape is prepared once per connection
//! ([`Connection`] caches the prepared statements).

// The builder traits carry hidden methods over the crate-private
// expression tree: callable only from inside the crate, which is the point.
#![allow(private_interfaces)]
// Types spell out the tables a query reads; that is the design, not noise.
#![allow(clippy::type_complexity)]
// `is_null()` is SQL's IS NULL building an expression, not a predicate on self.
#![allow(clippy::wrong_self_convention)]

mod cells;
pub mod cte;
mod delete;
mod error;
mod exec;
mod expr;
mod insert;
mod insert_select;
mod load_tree;
mod raw;
pub mod relations;
mod returning;
mod row;
pub mod scope;
mod select;
mod sql_writer;
mod statement;
mod transaction;
mod update;
mod value;

#[cfg(feature = "pool")]
mod pool;

pub use cells::{Cells, Record, Records};
pub use cte::{Cte, CteKind, CteTable, FromItem, Modifying, ModifyingBody, Nestable, ReadOnly};
pub use delete::{delete, Delete};
pub use error::QueryError;
pub use exec::{Connection, Executor, StatementCache};
pub use expr::{
    and, avg, coalesce, count, count_distinct, count_of, excluded, exists, max, min, not,
    not_exists, or, scalar, sql, sum, Expr, ExprExt, Fragment, IntoExpr, IntoOrder, KindOf,
    Numeric, Operand, Order, SameKind, Text,
};
pub use insert::{insert, insert_many, ConflictTarget, Insert, InsertRow, PendingConflict, Values};
pub use insert_select::{insert_select, FromSelect, InsertColumns};
pub use raw::{raw, Raw};
pub use relations::{
    belongs_to, has_many, has_one, load, many_to_many, Append, Load, Many, One, Rel, Relation,
    ToMany, ToOne,
};
pub use row::{FromRow, OptionalRow, OrNull};
pub use select::{
    all, select_from, All, FullJoined, JoinWith, KeysetKey, MakeNullable, PendingJoin, RightJoined,
    Select, Selection, SubquerySource,
};
pub use sql_writer::SqlWriter;
pub use statement::{Run, Statement};
pub use transaction::{Transaction, Transactional};
pub use update::{update, Assignments, Filtered, NoFilter, Update};
pub use value::{FromLabel, Param, Value};

#[cfg(feature = "pool")]
pub use pool::{connection, pool, Pool, PoolManager, PooledConnection};

/// A result row (tokio-postgres').
pub use tokio_postgres::Row;

/// Statements as associated functions of a table: `User::select()`,
/// `User::insert(row)`, `User::update()`, `User::delete()`.
pub trait TableQuery: crate::Table + Sized {
    /// `SELECT` every column, rows decoded as `Self`.
    fn select() -> Select<Self, Self> {
        select_from::<Self>()
    }
    /// A nested load (relational query) of this table's rows.
    fn load() -> Load<Self, Self> {
        load::<Self>()
    }
    /// `INSERT` one row.
    fn insert<R: InsertRow<Table = Self>>(row: R) -> Insert<Self, Values<R>, ()> {
        insert(row)
    }
    /// `INSERT` many rows in one statement.
    fn insert_many<R: InsertRow<Table = Self>>(rows: Vec<R>) -> Insert<Self, Values<R>, ()> {
        insert_many(rows)
    }
    /// `INSERT INTO Self (columns) SELECT ...`: see [`insert_select`].
    fn insert_select<C, Q, K>(
        columns: C,
        select: Select<Q, C::Row, K>,
    ) -> Insert<Self, FromSelect, (), K>
    where
        C: InsertColumns<Self>,
        Q: SubquerySource<Outer = ()>,
    {
        insert_select(columns, select)
    }
    /// `UPDATE`.
    fn update() -> Update<Self, NoFilter, ()> {
        update::<Self>()
    }
    /// `DELETE`.
    fn delete() -> Delete<Self, NoFilter, ()> {
        delete::<Self>()
    }
}

impl<T: crate::Table> TableQuery for T {}

/// Everything a query needs in scope: `use strata::query::prelude::*;`.
pub mod prelude {
    pub use super::{
        all, and, avg, belongs_to, coalesce, count, count_distinct, count_of, excluded, exists,
        has_many, has_one, many_to_many, max, min, not, not_exists, or, raw, scalar, sql, sum,
        Connection, ExprExt, Many, One, Run, Statement, TableQuery, Transactional,
    };
}

/// Support for generated code; not a public API.
#[doc(hidden)]
pub mod __private {
    pub use super::insert::{cell, cell_or_default};
    pub use super::value::{cell_from_row, cell_or_null};
}
