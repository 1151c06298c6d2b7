//! `DELETE FROM ... WHERE ... RETURNING`.
//!
//! Like an update, a delete runs only after `.filter(...)` or `.all_rows()`.

use super::expr::{IntoExpr, Node};
use super::returning::Returning;
use super::row::FromRow;
use super::scope::InScope;
use super::select::{and_into, Selection};
use super::sql_writer::SqlWriter;
use super::statement::Statement;
use super::update::{Filtered, NoFilter};
use crate::table::Table;
use std::marker::PhantomData;

/// A `DELETE FROM T`, filter state `F`, returning `Out` per row.
#[must_use]
pub struct Delete<T, F, Out> {
    filter: Option<Node>,
    returning: Returning,
    marker: PhantomData<fn() -> (T, F, Out)>,
}

/// `DELETE FROM table`.
pub fn delete<T: Table>() -> Delete<T, NoFilter, ()> {
    Delete {
        filter: None,
        returning: Returning::Nothing,
        marker: PhantomData,
    }
}

impl<T: Table, F, Out> Delete<T, F, Out> {
    fn retype<F2, O2>(self) -> Delete<T, F2, O2> {
        Delete {
            filter: self.filter,
            returning: self.returning,
            marker: PhantomData,
        }
    }

    /// Adds a condition (several are joined with AND).
    pub fn filter<E, I>(mut self, cond: E) -> Delete<T, Filtered, Out>
    where
        E: IntoExpr<Value = bool>,
        E::Source: InScope<T, I>,
    {
        and_into(&mut self.filter, cond.into_node());
        self.retype()
    }

    /// Deletes every row of the table, on purpose.
    pub fn all_rows(self) -> Delete<T, Filtered, Out> {
        self.retype()
    }

    /// `RETURNING *`: each deleted row, decoded as `T`.
    pub fn returning_all(mut self) -> Delete<T, F, T>
    where
        T: FromRow,
    {
        self.returning = Returning::All(T::TABLE_NAME, T::COLUMN_NAMES);
        self.retype()
    }

    /// `RETURNING ...`: chosen columns or expressions of the deleted rows.
    pub fn returning<S: Selection<T, I>, I>(mut self, selection: S) -> Delete<T, F, S::Output> {
        self.returning = Returning::columns(selection);
        self.retype()
    }
}

impl<T: Table, Out: FromRow> Statement for Delete<T, Filtered, Out> {
    type Output = Out;
    fn write(self, w: &mut SqlWriter) {
        w.push("DELETE FROM ");
        w.table(T::TABLE_SCHEMA, T::TABLE_NAME);
        if let Some(f) = self.filter {
            w.push(" WHERE ");
            f.write(w);
        }
        self.returning.write(w);
    }
}
