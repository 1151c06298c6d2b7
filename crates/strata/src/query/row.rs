//! Decoding a result row into Rust values, by column position.
//!
//! `Option<X>` decodes through [`OrNull`]: one NULL cell for a value, a
//! whole NULL row part for a table (the columns of an outer-joined table
//! that found no match).

use super::cells::{Cells, RawCell};
use super::error::QueryError;
use crate::table::Table;
use tokio_postgres::Row;

/// A Rust value read from consecutive cells of a row: one cell for a
/// [`Value`](super::Value), one per column for a `#[derive(Table)]` struct, the sum of
/// its parts for a tuple.
#[diagnostic::on_unimplemented(
    message = "`{Self}` cannot be read from a result row",
    label = "not decodable from a row",
    note = "a row decodes into query values (i32, String, Option<T>, ...), #[derive(Table)] structs whose fields are all query values, or tuples of those"
)]
pub trait FromRow: Sized {
    /// Reads the value from the cells at `*at` onward, advancing `*at`.
    fn from_row<C: Cells>(row: &C, at: &mut usize) -> Result<Self, QueryError>;

    /// Reads the whole row.
    fn decode_row(row: &Row) -> Result<Self, QueryError> {
        let mut at = 0;
        Self::from_row(row, &mut at)
    }
}

/// A row part that may be missing as a whole, so `Option<Self>` decodes:
/// a query value (one cell, NULL is `None`) or a `#[derive(Table)]` struct
/// (see the impl for tables).
#[diagnostic::on_unimplemented(
    message = "`Option<{Self}>` cannot be read from a result row",
    label = "`{Self}` cannot be read as possibly missing",
    note = "`Option<T>` decodes for query values and #[derive(Table)] structs; an enum needs `strata::from_label!`"
)]
pub trait OrNull: FromRow {
    /// `Self` where it may be missing: `Option<Self>`, or `Self` if it
    /// is an `Option` already (never `Option<Option<_>>`).
    type Optional: FromRow;
    /// Reads the value from the cells at `*at` onward, advancing `*at`
    /// past them; `None` when they stand for no value.
    fn from_row_or_null<C: Cells>(row: &C, at: &mut usize) -> Result<Option<Self>, QueryError>;
}

impl<X: OrNull> FromRow for Option<X> {
    fn from_row<C: Cells>(row: &C, at: &mut usize) -> Result<Self, QueryError> {
        X::from_row_or_null(row, at)
    }
}

/// A table's columns read as `Option<T>`: `None` when every one of its
/// cells is NULL, which is how an outer join writes "no matching row".
/// Exact for every table with a NOT NULL column (any table with a primary
/// key); a table whose columns are all nullable cannot tell a missing row
/// from a row of NULLs, and reads it as `None`.
impl<T: Table + FromRow> OrNull for T {
    type Optional = Option<T>;
    fn from_row_or_null<C: Cells>(row: &C, at: &mut usize) -> Result<Option<Self>, QueryError> {
        let width = T::COLUMN_NAMES.len();
        let mut all_null = true;
        for idx in *at..*at + width {
            let cell: RawCell<'_> = row.cell(idx)?;
            if cell.0.is_some() {
                all_null = false;
                break;
            }
        }
        if all_null {
            *at += width;
            return Ok(None);
        }
        T::from_row(row, at).map(Some)
    }
}

/// A select's row type once a right or full join made every table read so
/// far nullable: each value or table of it as an `Option`
/// ([`OrNull::Optional`]), tuples element by element.
#[diagnostic::on_unimplemented(
    message = "`{Self}` cannot be read as possibly missing after a right or full join",
    label = "choose the columns after the joins",
    note = "a right or full join makes the tables before it nullable; call `.columns(...)` after it"
)]
pub trait OptionalRow {
    /// The row type with its parts optional.
    type Out: FromRow;
}

impl<X: OrNull> OptionalRow for X {
    type Out = X::Optional;
}

macro_rules! tuple_optional_row {
    ($($name:ident),+) => {
        impl<$($name: OptionalRow),+> OptionalRow for ($($name,)+) {
            type Out = ($($name::Out,)+);
        }
    };
}

tuple_optional_row!(A);
tuple_optional_row!(A, B);
tuple_optional_row!(A, B, C);
tuple_optional_row!(A, B, C, D);
tuple_optional_row!(A, B, C, D, E);
tuple_optional_row!(A, B, C, D, E, F);
tuple_optional_row!(A, B, C, D, E, F, G);
tuple_optional_row!(A, B, C, D, E, F, G, H);
tuple_optional_row!(A, B, C, D, E, F, G, H, I);
tuple_optional_row!(A, B, C, D, E, F, G, H, I, J);
tuple_optional_row!(A, B, C, D, E, F, G, H, I, J, K);
tuple_optional_row!(A, B, C, D, E, F, G, H, I, J, K, L);

/// No columns: statements without RETURNING.
impl FromRow for () {
    fn from_row<C: Cells>(_: &C, _: &mut usize) -> Result<Self, QueryError> {
        Ok(())
    }
}

macro_rules! tuple_from_row {
    ($($name:ident),+) => {
        impl<$($name: FromRow),+> FromRow for ($($name,)+) {
            fn from_row<Src: Cells>(row: &Src, at: &mut usize) -> Result<Self, QueryError> {
                Ok(($($name::from_row(row, at)?,)+))
            }
        }
    };
}

tuple_from_row!(A);
tuple_from_row!(A, B);
tuple_from_row!(A, B, C);
tuple_from_row!(A, B, C, D);
tuple_from_row!(A, B, C, D, E);
tuple_from_row!(A, B, C, D, E, F);
tuple_from_row!(A, B, C, D, E, F, G);
tuple_from_row!(A, B, C, D, E, F, G, H);
tuple_from_row!(A, B, C, D, E, F, G, H, I);
tuple_from_row!(A, B, C, D, E, F, G, H, I, J);
tuple_from_row!(A, B, C, D, E, F, G, H, I, J, K);
tuple_from_row!(A, B, C, D, E, F, G, H, I, J, K, L);
