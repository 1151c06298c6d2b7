//! Common table expressions: `WITH name (columns) AS (SELECT ...)`.
//!
//! A CTE is declared once as a Rust type with [`crate::cte!`]: its SQL
//! name and its columns, each a typed [`Column`](crate::Column) handle
//! (`Busy::INTERVENTIONS: Column<Busy, i64>`), so queries read it exactly
//! like a table and the compiler checks the same things: a column the CTE
//! does not declare does not exist, a query accepts `Busy` columns only
//! once it reads `Busy`, comparisons need matching Rust types.
//!
//! [`Cte::new`] binds the declaration to a select whose rows have the
//! declared column types (`Select<_, (i32, i64)>` for the `Busy` above;
//! anything else does not compile). The definition travels with the value:
//! [`Cte::select`] starts a query on it and [`Select::inner_join_cte`]
//! (and `left_join_cte`, `right_join_cte`, `full_join_cte`, nullable as
//! table joins are: see [`super::Selection`]) adds it to a query, each writing the `WITH` item
//! in front of that statement. A query can only read a CTE it was given,
//! so a forgotten `WITH` is a compile error, not a server error.
//!
//! Parameters of the CTE's select and of the main query go through one
//! [`SqlWriter`] in text order (the `WITH` items first), so `$1, $2, ...`
//! number the whole statement.
//!
//! A subquery that reads a CTE (`Student::ID.in_select(busy.select()...)`)
//! carries its own `WITH` inside the parentheses, which PostgreSQL accepts;
//! a CTE built on another CTE nests the same way.
//!
//! ```no_run
//! use strata::query::prelude::*;
//! use strata::query::{Connection, Cte, QueryError};
//! use strata_example_school::{Intervention, Student};
//!
//! strata::cte! {
//!     /// Students with their number of interventions.
//!     pub struct Busy as "busy" {
//!         STUDENT_ID: i32 = "student_id",
//!         INTERVENTIONS: i64 = "interventions",
//!     }
//! }
//!
//! async fn run(db: &Connection, school: i32) -> Result<(), QueryError> {
//!     let busy = Cte::<Busy>::new(
//!         Student::select()
//!             .left_join::<Intervention>()
//!             .on(Intervention::STUDENT_ID.eq(Student::ID))
//!             .columns((Student::ID, count_of(Intervention::ID)))
//!             .filter(Student::SCHOOL_ID.eq(school))
//!             .group_by(Student::ID),
//!     );
//!     // WITH "busy" ("student_id", "interventions") AS (SELECT ... WHERE ... = $1 ...)
//!     // SELECT "students"."first_name", "busy"."interventions" FROM "public"."students"
//!     // INNER JOIN "busy" ON ... WHERE ("busy"."interventions" >= $2)
//!     let names: Vec<(String, i64)> = Student::select()
//!         .inner_join_cte(busy)
//!         .on(Busy::STUDENT_ID.eq(Student::ID))
//!         .columns((Student::FIRST_NAME, Busy::INTERVENTIONS))
//!         .filter(Busy::INTERVENTIONS.gte(2_i64))
//!         .all(db)
//!         .await?;
//!     # let _ = names;
//!     Ok(())
//! }
//! ```

use super::row::FromRow;
use super::select::{Select, SelectCore, SubquerySource};
use super::sql_writer::SqlWriter;
use crate::table::Table;
use std::marker::PhantomData;

/// A named row set a query can read: a table, or a CTE declared with
/// [`crate::cte!`]. Every `#[derive(Table)]` type is one.
///
/// The consts are prefixed (as [`Table`]'s are) so they never collide with
/// a column handle of the same name, such as a CTE column `NAME`.
pub trait FromItem: 'static {
    /// The schema that qualifies the name (`None` for a CTE, which has none).
    const FROM_SCHEMA: Option<&'static str>;
    /// The SQL name, unquoted; it also qualifies the item's columns.
    const FROM_NAME: &'static str;
    /// The SQL names of the columns, in order.
    const FROM_COLUMNS: &'static [&'static str];
}

impl<T: Table> FromItem for T {
    const FROM_SCHEMA: Option<&'static str> = Some(T::TABLE_SCHEMA);
    const FROM_NAME: &'static str = T::TABLE_NAME;
    const FROM_COLUMNS: &'static [&'static str] = T::COLUMN_NAMES;
}

/// A CTE declaration (implemented by [`crate::cte!`]): its columns' Rust
/// types as one row.
pub trait CteTable: FromItem {
    /// The declared columns' types, in order: what the defining select must return.
    type Row: FromRow;
}

/// A CTE's declaration bound to its defining select; see the [module docs](self).
#[must_use]
pub struct Cte<C> {
    pub(crate) definition: CteDefinition,
    marker: PhantomData<fn() -> C>,
}

/// The untyped `name (columns) AS (select)` item.
pub(crate) struct CteDefinition {
    name: &'static str,
    columns: &'static [&'static str],
    select: SelectCore,
}

impl<C: CteTable> Cte<C> {
    /// `C AS (select)`: the select must return the declared column types
    /// in order, and read no table of an enclosing query.
    pub fn new<Q>(select: Select<Q, C::Row>) -> Self
    where
        Q: SubquerySource<Outer = ()>,
    {
        Cte {
            definition: CteDefinition {
                name: C::FROM_NAME,
                columns: C::FROM_COLUMNS,
                select: select.core,
            },
            marker: PhantomData,
        }
    }

    /// `WITH C AS (...) SELECT <every column> FROM C`, rows decoded as the
    /// declared row type.
    pub fn select(self) -> Select<C, C::Row> {
        let mut core = SelectCore::new::<C>();
        core.with.push(self.definition);
        Select::from_core(core)
    }
}

/// Writes `WITH a (cols) AS (...), b (cols) AS (...) ` (nothing when empty).
pub(crate) fn write_with(items: Vec<CteDefinition>, w: &mut SqlWriter) {
    if items.is_empty() {
        return;
    }
    for (i, item) in items.into_iter().enumerate() {
        w.push(if i == 0 { "WITH " } else { ", " });
        w.ident(item.name);
        w.push(" (");
        for (j, c) in item.columns.iter().enumerate() {
            if j > 0 {
                w.push(", ");
            }
            w.ident(c);
        }
        w.push(") AS (");
        item.select.write(w);
        w.push(")");
    }
    w.push(" ");
}

/// Declares a CTE: a unit struct with one typed column handle per column.
///
/// ```no_run
/// strata::cte! {
///     /// Students with their number of interventions.
///     pub struct Busy as "busy" {
///         STUDENT_ID: i32 = "student_id",
///         INTERVENTIONS: i64 = "interventions",
///     }
/// }
/// let _: strata::Column<Busy, i64> = Busy::INTERVENTIONS;
/// ```
///
/// The row type (what the defining select must return) is the tuple of
/// the column types, `(i32, i64)` here (a one-column CTE's is the type
/// itself, as `.columns(Student::ID)` returns `i32`); see [`query::Cte`](crate::query::Cte).
#[macro_export]
macro_rules! cte {
    (@row $ty:ty) => { $ty };
    (@row $($ty:ty),+) => { ($($ty,)+) };
    (
        $(#[$meta:meta])*
        $vis:vis struct $name:ident as $sql:literal {
            $($column:ident : $ty:ty = $column_sql:literal),+ $(,)?
        }
    ) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy)]
        $vis struct $name;

        impl $name {
            $(
                #[doc = concat!("The `", $column_sql, "` column of the CTE.")]
                $vis const $column: $crate::Column<$name, $ty> = $crate::Column::new($column_sql);
            )+
        }

        impl $crate::query::FromItem for $name {
            const FROM_SCHEMA: ::core::option::Option<&'static str> = ::core::option::Option::None;
            const FROM_NAME: &'static str = $sql;
            const FROM_COLUMNS: &'static [&'static str] = &[$($column_sql),+];
        }

        impl $crate::query::CteTable for $name {
            type Row = $crate::cte!(@row $($ty),+);
        }
    };
}
