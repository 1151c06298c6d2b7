//! Common table expressions: `WITH name (columns) AS (SELECT ...)`, and
//! data-modifying ones, `AS (INSERT / UPDATE / DELETE ... RETURNING ...)`.
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
//! [`Cte::recursive`] writes `WITH RECURSIVE`: a base select, then a step
//! that reads the CTE itself (it is handed the CTE to join or select
//! from) and runs until it finds no new rows, for trees and chains.
//!
//! An UPDATE or DELETE reads a CTE with [`Update::from_cte`](super::Update::from_cte)
//! (`WITH ... UPDATE ... FROM c`) or [`Delete::using_cte`](super::Delete::using_cte)
//! (`WITH ... DELETE ... USING c`). An INSERT ... SELECT carries the CTEs
//! its select reads, written in front of `INSERT`; [`Insert::with`](super::Insert::with)
//! adds one it does not read (a data-modifying one, run for its effect).
//!
//! # Data-modifying CTEs
//! [`Cte::modifying`] defines a CTE by an INSERT, UPDATE or DELETE with a
//! RETURNING of the declared column types (`WITH moved AS (DELETE FROM
//! students WHERE ... RETURNING id, first_name) INSERT INTO archive (id,
//! first_name) SELECT id, first_name FROM moved`). PostgreSQL runs such a
//! `WITH` only at the top level of a statement; rather than a server error,
//! the builder tracks it in the types: the CTE is `Cte<C, Modifying>`, and
//! a select that reads it is `Select<_, _, Modifying>`, which runs, feeds
//! an insert or joins more, but is not [`Nestable`]: as a subquery
//! (`in_select`, `exists`, `scalar`) or another CTE's body it does not
//! compile, and neither does a data-modifying CTE whose body carries one.
//! An UPDATE or DELETE that reads one (`from_cte`, `using_cte`) is
//! `Modifying` the same way: it runs, but cannot be another CTE's body.
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
use super::statement::Statement;
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

/// What the `WITH` items a statement carries do, at the type level: only
/// read ([`ReadOnly`]), or also write ([`Modifying`], a CTE built by
/// [`Cte::modifying`]). PostgreSQL runs a data-modifying `WITH` only at the
/// top level of a statement, so every place that nests a select or a
/// statement (a subquery, another CTE's body) takes `ReadOnly` ones only.
pub trait CteKind: sealed::Sealed + 'static {
    /// `Modifying` if either side is.
    type Or<K: CteKind>: CteKind;
}

/// Only the two kinds below: a third could claim to be nestable.
mod sealed {
    pub trait Sealed {}
    impl Sealed for super::ReadOnly {}
    impl Sealed for super::Modifying {}
}

/// Only read-only `WITH` items (or none): the statement may be nested.
pub struct ReadOnly;
/// At least one data-modifying `WITH` item: the statement must be the
/// top-level one.
pub struct Modifying;

/// A select that may be nested (a subquery, a CTE's body): its `WITH`
/// items, if any, only read. Implemented for [`ReadOnly`] alone.
#[diagnostic::on_unimplemented(
    message = "a select that carries a data-modifying CTE cannot be nested",
    label = "carries a `Cte::modifying` CTE",
    note = "PostgreSQL runs a data-modifying WITH only at the top level of a statement: run this select itself, or read the CTE from the top-level select or insert (join it there)"
)]
pub trait Nestable: CteKind {}
impl Nestable for ReadOnly {}

impl CteKind for ReadOnly {
    type Or<K: CteKind> = K;
}
impl CteKind for Modifying {
    type Or<K: CteKind> = Modifying;
}

/// A CTE's declaration bound to its defining select (or, `Modifying`, its
/// INSERT, UPDATE or DELETE ... RETURNING); see the [module docs](self).
#[must_use]
pub struct Cte<C, K = ReadOnly> {
    /// `None` for the reference a recursive CTE's step reads itself
    /// through: it names the CTE, whose `WITH` item the statement around
    /// it writes.
    pub(crate) definition: Option<CteDefinition>,
    marker: PhantomData<fn() -> (C, K)>,
}

/// The untyped `name (columns) AS (select)` item.
pub(crate) struct CteDefinition {
    name: &'static str,
    columns: &'static [&'static str],
    body: Body,
}

enum Body {
    Select(SelectCore),
    /// `(base) UNION [ALL] (step)`, the step reading the CTE itself.
    Recursive {
        base: SelectCore,
        union: &'static str,
        step: Box<SelectCore>,
    },
    /// An INSERT, UPDATE or DELETE ... RETURNING, written where the item
    /// is (its parameters number in text order like the rest).
    Modifying(Box<dyn FnOnce(&mut SqlWriter) + Send>),
}

/// A statement that can define a data-modifying CTE ([`Cte::modifying`]):
/// an INSERT (`VALUES` or `SELECT`), UPDATE or DELETE with a RETURNING,
/// whose own `WITH` items (if any) only read.
#[diagnostic::on_unimplemented(
    message = "`{Self}` cannot define a data-modifying CTE",
    label = "not an INSERT, UPDATE or DELETE ... RETURNING without a data-modifying WITH",
    note = "give `Cte::modifying` an insert, a filtered update or a filtered delete with `.returning(...)` of the CTE's column types; PostgreSQL takes a data-modifying WITH only at the top level, so its body cannot carry one"
)]
pub trait ModifyingBody: Statement + Send + 'static {}

impl<C: CteTable> Cte<C> {
    /// `C AS (select)`: the select must return the declared column types
    /// in order, and read no table of an enclosing query.
    pub fn new<Q, K: Nestable>(select: Select<Q, C::Row, K>) -> Self
    where
        Q: SubquerySource<Outer = ()>,
    {
        Self::with_body(Body::Select(select.core))
    }

    /// `WITH RECURSIVE C AS ((base) UNION ALL (step))`: the rows of `base`,
    /// then those `step` finds from the rows found last, until it finds
    /// none. `step` receives the CTE itself to read (`this.select()`, or
    /// `.inner_join_cte(this)` from a table); both selects return the
    /// declared column types. UNION ALL keeps every row, so data with a
    /// cycle loops until a filter of `step` stops it; see
    /// [`Cte::recursive_distinct`].
    ///
    /// The CTE `step` receives only names the CTE: read it inside `step`,
    /// not in another statement.
    pub fn recursive<Q, Q2, K: Nestable, K2: Nestable, F>(
        base: Select<Q, C::Row, K>,
        step: F,
    ) -> Self
    where
        Q: SubquerySource<Outer = ()>,
        Q2: SubquerySource<Outer = ()>,
        F: FnOnce(Cte<C>) -> Select<Q2, C::Row, K2>,
    {
        Self::recursive_with(base, " UNION ALL ", step)
    }

    /// As [`Cte::recursive`] with `UNION`: a row found again is dropped, so
    /// walking a graph with cycles ends (rows must then be comparable).
    pub fn recursive_distinct<Q, Q2, K: Nestable, K2: Nestable, F>(
        base: Select<Q, C::Row, K>,
        step: F,
    ) -> Self
    where
        Q: SubquerySource<Outer = ()>,
        Q2: SubquerySource<Outer = ()>,
        F: FnOnce(Cte<C>) -> Select<Q2, C::Row, K2>,
    {
        Self::recursive_with(base, " UNION ", step)
    }

    fn recursive_with<Q, Q2, K, K2, F>(
        base: Select<Q, C::Row, K>,
        union: &'static str,
        step: F,
    ) -> Self
    where
        F: FnOnce(Cte<C>) -> Select<Q2, C::Row, K2>,
    {
        let this = Cte {
            definition: None,
            marker: PhantomData,
        };
        Self::with_body(Body::Recursive {
            base: base.core,
            union,
            step: Box::new(step(this).core),
        })
    }

    /// `WITH C AS (INSERT / UPDATE / DELETE ... RETURNING ...)`: a
    /// data-modifying CTE, whose rows are what the statement returns (its
    /// RETURNING must give the declared column types, in order). The
    /// statement runs once, whether the query reads the CTE or not, and
    /// the query sees the tables as they were before it (PostgreSQL's
    /// rule: read the CTE for the changed rows).
    ///
    /// PostgreSQL takes a data-modifying `WITH` only at the top level, so
    /// the CTE is [`Modifying`]: a select or insert that carries it can be
    /// run, but not nested (as a subquery, another CTE's body, ...): that
    /// is a compile error. An UPDATE or DELETE may read it too
    /// ([`Update::from_cte`](super::Update::from_cte), [`Delete::using_cte`](super::Delete::using_cte)).
    ///
    /// ```no_run
    /// use strata::query::prelude::*;
    /// use strata::query::{Connection, Cte, QueryError};
    /// use strata_example_school::{Intervention, Student};
    ///
    /// strata::cte! {
    ///     pub struct Gone as "gone" {
    ///         STUDENT_ID: i32 = "student_id",
    ///     }
    /// }
    ///
    /// async fn run(db: &Connection, school: i32) -> Result<Vec<String>, QueryError> {
    ///     let gone = Cte::<Gone>::modifying(
    ///         Intervention::delete()
    ///             .filter(Intervention::CREATED_BY.eq(7))
    ///             .returning(Intervention::STUDENT_ID),
    ///     );
    ///     // WITH "gone" ("student_id") AS (DELETE FROM ... RETURNING ...)
    ///     // SELECT "students"."first_name" FROM "public"."students" INNER JOIN "gone" ON ...
    ///     Student::select()
    ///         .inner_join_cte(gone)
    ///         .on(Gone::STUDENT_ID.eq(Student::ID))
    ///         .columns(Student::FIRST_NAME)
    ///         .filter(Student::SCHOOL_ID.eq(school))
    ///         .all(db)
    ///         .await
    /// }
    /// ```
    pub fn modifying<S>(statement: S) -> Cte<C, Modifying>
    where
        S: ModifyingBody<Output = C::Row>,
    {
        Cte::with_body(Body::Modifying(Box::new(move |w: &mut SqlWriter| {
            statement.write(w)
        })))
    }
}

impl<C: CteTable, K: CteKind> Cte<C, K> {
    fn with_body(body: Body) -> Self {
        Cte {
            definition: Some(CteDefinition {
                name: C::FROM_NAME,
                columns: C::FROM_COLUMNS,
                body,
            }),
            marker: PhantomData,
        }
    }

    /// `WITH C AS (...) SELECT <every column> FROM C`, rows decoded as the
    /// declared row type.
    pub fn select(self) -> Select<C, C::Row, K> {
        let mut core = SelectCore::new::<C>();
        core.with.extend(self.definition);
        Select::from_core(core)
    }
}

/// Writes `WITH a (cols) AS (...), b (cols) AS (...) ` (nothing when
/// empty); `WITH RECURSIVE` when one item is recursive, as PostgreSQL
/// takes the keyword for the whole list.
pub(crate) fn write_with(items: Vec<CteDefinition>, w: &mut SqlWriter) {
    if items.is_empty() {
        return;
    }
    let recursive = items
        .iter()
        .any(|item| matches!(item.body, Body::Recursive { .. }));
    for (i, item) in items.into_iter().enumerate() {
        w.push(match (i, recursive) {
            (0, false) => "WITH ",
            (0, true) => "WITH RECURSIVE ",
            _ => ", ",
        });
        w.ident(item.name);
        w.push(" (");
        for (j, c) in item.columns.iter().enumerate() {
            if j > 0 {
                w.push(", ");
            }
            w.ident(c);
        }
        w.push(") AS (");
        match item.body {
            Body::Select(select) => select.write(w),
            // Parenthesized arms, so either may carry its own WITH, ORDER
            // BY or LIMIT without changing what the UNION applies to.
            Body::Recursive { base, union, step } => {
                w.push("(");
                base.write(w);
                w.push(")");
                w.push(union);
                w.push("(");
                step.write(w);
                w.push(")");
            }
            Body::Modifying(write) => write(w),
        }
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
