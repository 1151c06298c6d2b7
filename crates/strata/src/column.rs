//! Typed column handles: the query builder's vocabulary.

use crate::table::Table;
use std::fmt;
use std::marker::PhantomData;

/// One column of table `T` whose values are Rust type `V`, e.g.
/// `Column<User, String>` for `users.email`. Zero-sized apart from the
/// column's SQL name, `Copy`, and created by `#[derive(Table)]` as an
/// associated const per field (`User::EMAIL`).
///
/// Both type parameters are there for the query builder: `V` lets it accept
/// only values (and other columns) of the same type in comparisons, `T`
/// lets it accept only columns of the tables a query actually reads. Two
/// columns are the same type only when table and value type both agree.
pub struct Column<T, V> {
    name: &'static str,
    // `fn() -> (T, V)`: no ownership of a T or V (so no drop check, and the
    // handle is Send + Sync + Copy whatever T and V are).
    marker: PhantomData<fn() -> (T, V)>,
}

impl<T, V> Column<T, V> {
    /// A handle for the column named `name` (its SQL name, unquoted).
    pub const fn new(name: &'static str) -> Self {
        Self {
            name,
            marker: PhantomData,
        }
    }

    /// The column's SQL name, unquoted.
    pub const fn name(&self) -> &'static str {
        self.name
    }
}

impl<T: Table, V> Column<T, V> {
    /// The PostgreSQL schema of the column's table.
    pub fn table_schema(&self) -> &'static str {
        T::TABLE_SCHEMA
    }

    /// The SQL name of the column's table.
    pub fn table_name(&self) -> &'static str {
        T::TABLE_NAME
    }
}

impl<T, V> Clone for Column<T, V> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<T, V> Copy for Column<T, V> {}

impl<T, V> PartialEq for Column<T, V> {
    fn eq(&self, other: &Self) -> bool {
        self.name == other.name
    }
}

impl<T, V> Eq for Column<T, V> {}

impl<T, V> fmt::Debug for Column<T, V> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Column")
            .field("table", &std::any::type_name::<T>())
            .field("name", &self.name)
            .field("value", &std::any::type_name::<V>())
            .finish()
    }
}
