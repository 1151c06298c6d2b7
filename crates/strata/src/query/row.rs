//! Decoding a result row into Rust values, by column position.

use super::cells::Cells;
use super::error::QueryError;
use super::value::Value;
use tokio_postgres::Row;

/// A Rust value read from consecutive cells of a row: one cell for a
/// [`Value`], one per column for a `#[derive(Table)]` struct, the sum of
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

impl<V: Value> FromRow for V {
    fn from_row<C: Cells>(row: &C, at: &mut usize) -> Result<Self, QueryError> {
        let v = V::decode(row, *at)?;
        *at += 1;
        Ok(v)
    }
}

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
