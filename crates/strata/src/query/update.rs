//! `UPDATE ... SET ... WHERE ... RETURNING`.
//!
//! An update without a filter changes every row, which is rarely meant:
//! it only runs after `.filter(...)` or an explicit `.all_rows()`.

use super::expr::{Node, Operand};
use super::returning::Returning;
use super::row::FromRow;
use super::scope::InScope;
use super::select::{and_into, Selection};
use super::sql_writer::SqlWriter;
use super::statement::Statement;
use super::value::Value;
use crate::column::Column;
use crate::table::Table;
use std::marker::PhantomData;

/// `SET column = value, ...` for table `T`.
#[must_use]
pub struct Assignments<T> {
    pub(crate) items: Vec<(&'static str, Node)>,
    marker: PhantomData<fn() -> T>,
}

impl<T: Table> Assignments<T> {
    pub(crate) fn new() -> Self {
        Self {
            items: Vec::new(),
            marker: PhantomData,
        }
    }

    /// `column = value`: a value, column or expression of the column's type.
    pub fn set<V, R, I>(mut self, column: Column<T, V>, value: R) -> Self
    where
        V: Value,
        R: Operand<V::Kind>,
        R::Source: InScope<T, I>,
    {
        self.items.push((column.name(), value.into_node()));
        self
    }

    /// `column = NULL` (nullable columns only).
    pub fn set_null<V>(mut self, column: Column<T, Option<V>>) -> Self {
        self.items.push((
            column.name(),
            Node::Raw(vec![super::expr::RawPart::Sql("NULL".into())]),
        ));
        self
    }

    /// `column = DEFAULT`.
    pub fn set_default<V>(mut self, column: Column<T, V>) -> Self {
        self.items.push((
            column.name(),
            Node::Raw(vec![super::expr::RawPart::Sql("DEFAULT".into())]),
        ));
        self
    }
}

pub(crate) fn write_assignments(w: &mut SqlWriter, items: Vec<(&'static str, Node)>) {
    for (i, (c, v)) in items.into_iter().enumerate() {
        if i > 0 {
            w.push(", ");
        }
        w.ident(c);
        w.push(" = ");
        v.write(w);
    }
}

/// Typestate: no filter yet, so the statement cannot run.
pub struct NoFilter;
/// Typestate: filtered, or explicitly every row.
pub struct Filtered;

/// An `UPDATE T`, filter state `F`, returning `Out` per row.
#[must_use]
pub struct Update<T, F, Out> {
    set: Assignments<T>,
    filter: Option<Node>,
    returning: Returning,
    marker: PhantomData<fn() -> (F, Out)>,
}

/// `UPDATE table SET ...`.
pub fn update<T: Table>() -> Update<T, NoFilter, ()> {
    Update {
        set: Assignments::new(),
        filter: None,
        returning: Returning::Nothing,
        marker: PhantomData,
    }
}

impl<T: Table, F, Out> Update<T, F, Out> {
    fn retype<F2, O2>(self) -> Update<T, F2, O2> {
        Update {
            set: self.set,
            filter: self.filter,
            returning: self.returning,
            marker: PhantomData,
        }
    }

    /// `column = value`.
    pub fn set<V, R, I>(mut self, column: Column<T, V>, value: R) -> Self
    where
        V: Value,
        R: Operand<V::Kind>,
        R::Source: InScope<T, I>,
    {
        self.set = self.set.set(column, value);
        self
    }

    /// `column = NULL`.
    pub fn set_null<V>(mut self, column: Column<T, Option<V>>) -> Self {
        self.set = self.set.set_null(column);
        self
    }

    /// Adds a condition (several are joined with AND).
    pub fn filter<E, I>(mut self, cond: E) -> Update<T, Filtered, Out>
    where
        E: super::expr::IntoExpr<Value = bool>,
        E::Source: InScope<T, I>,
    {
        and_into(&mut self.filter, cond.into_node());
        self.retype()
    }

    /// Updates every row of the table, on purpose.
    pub fn all_rows(self) -> Update<T, Filtered, Out> {
        self.retype()
    }

    /// `RETURNING *`: each updated row, decoded as `T`.
    pub fn returning_all(mut self) -> Update<T, F, T>
    where
        T: FromRow,
    {
        self.returning = Returning::All(T::TABLE_NAME, T::COLUMN_NAMES);
        self.retype()
    }

    /// `RETURNING ...`: chosen columns or expressions of the updated rows.
    pub fn returning<S: Selection<T, I>, I>(mut self, selection: S) -> Update<T, F, S::Output> {
        self.returning = Returning::columns(selection);
        self.retype()
    }
}

impl<T: Table, Out: FromRow> Statement for Update<T, Filtered, Out> {
    type Output = Out;
    fn write(self, w: &mut SqlWriter) {
        w.push("UPDATE ");
        w.table(T::TABLE_SCHEMA, T::TABLE_NAME);
        w.push(" SET ");
        write_assignments(w, self.set.items);
        if let Some(f) = self.filter {
            w.push(" WHERE ");
            f.write(w);
        }
        self.returning.write(w);
    }
}
