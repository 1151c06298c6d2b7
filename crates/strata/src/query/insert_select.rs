//! `INSERT INTO t (columns) SELECT ...`: rows from a typed select.
//!
//! The columns are typed handles of the target table ([`InsertColumns`]);
//! the select must return exactly their Rust types, in order (a tuple for
//! several, the type itself for one), or the insert does not compile. The
//! rest is an [`Insert`]'s: `ON CONFLICT`, `RETURNING`, `.with(cte)`.
//!
//! The select's `WITH` items are written in front of `INSERT`, after the
//! insert's own: PostgreSQL takes a data-modifying CTE only there, so
//! `WITH moved AS (DELETE ... RETURNING ...) INSERT INTO archive (...)
//! SELECT ... FROM moved` is a select of the CTE handed to the insert.

use super::cte::CteKind;
use super::insert::{write_head, Insert};
use super::row::FromRow;
use super::select::{Select, SelectCore, SubquerySource};
use super::sql_writer::SqlWriter;
use super::statement::Statement;
use crate::column::Column;
use crate::table::Table;

/// The rows of an `INSERT ... SELECT`: the select and the columns it fills.
pub struct FromSelect {
    columns: Vec<&'static str>,
    select: SelectCore,
}

/// The target columns of an `INSERT ... SELECT`: a column of `T` or a
/// tuple of them; `Row` is what the select must return.
#[diagnostic::on_unimplemented(
    message = "`{Self}` is not a list of columns of `{T}`",
    label = "not a column or a tuple of columns of the target table",
    note = "name the columns to fill with handles of the table inserted into: `(Archive::ID, Archive::NAME)`"
)]
pub trait InsertColumns<T> {
    /// The Rust types of the columns, in order (a one-column list's is the
    /// column's type).
    type Row: FromRow;
    #[doc(hidden)]
    fn names(self) -> Vec<&'static str>;
}

impl<T: Table, V> InsertColumns<T> for Column<T, V>
where
    V: FromRow,
{
    type Row = V;
    fn names(self) -> Vec<&'static str> {
        vec![self.name()]
    }
}

macro_rules! tuple_columns {
    ($($v:ident),+) => {
        impl<T: Table, $($v),+> InsertColumns<T> for ($(Column<T, $v>,)+)
        where
            ($($v,)+): FromRow,
        {
            type Row = ($($v,)+);
            #[allow(non_snake_case)]
            fn names(self) -> Vec<&'static str> {
                let ($($v,)+) = self;
                vec![$($v.name()),+]
            }
        }
    };
}

tuple_columns!(A);
tuple_columns!(A, B);
tuple_columns!(A, B, C);
tuple_columns!(A, B, C, D);
tuple_columns!(A, B, C, D, E);
tuple_columns!(A, B, C, D, E, F);
tuple_columns!(A, B, C, D, E, F, G);
tuple_columns!(A, B, C, D, E, F, G, H);

/// `INSERT INTO table (columns) SELECT ...`: the select returns the
/// columns' types in order, and reads no table of an enclosing query.
///
/// ```no_run
/// use strata::query::prelude::*;
/// use strata::query::{insert_select, Connection, QueryError};
/// use strata_example_school::{Role, Student};
///
/// async fn run(db: &Connection) -> Result<Vec<i32>, QueryError> {
///     // INSERT INTO "public"."roles" ("name", "description")
///     // SELECT "students"."sis_id", "students"."first_name" FROM "public"."students"
///     // WHERE ("students"."school_id" = $1) ON CONFLICT DO NOTHING RETURNING "roles"."id"
///     insert_select(
///         (Role::NAME, Role::DESCRIPTION),
///         Student::select()
///             .columns((Student::SIS_ID, Student::FIRST_NAME.nullable()))
///             .filter(Student::SCHOOL_ID.eq(3)),
///     )
///     .on_conflict_do_nothing()
///     .returning(Role::ID)
///     .all(db)
///     .await
/// }
/// ```
pub fn insert_select<T, C, Q, K>(
    columns: C,
    select: Select<Q, C::Row, K>,
) -> Insert<T, FromSelect, (), K>
where
    T: Table,
    C: InsertColumns<T>,
    Q: SubquerySource<Outer = ()>,
{
    Insert::from_source(FromSelect {
        columns: columns.names(),
        select: select.core,
    })
}

impl<T: Table, Out: FromRow, K: CteKind> Statement for Insert<T, FromSelect, Out, K> {
    type Output = Out;
    fn write(self, w: &mut SqlWriter) {
        let (with, source, tail) = self.into_parts();
        let FromSelect {
            columns,
            mut select,
        } = source;
        write_head::<T>(with, std::mem::take(&mut select.with), &columns, w);
        select.write(w);
        tail.write(w);
    }
}
