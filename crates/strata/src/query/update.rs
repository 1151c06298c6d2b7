//! `UPDATE ... SET ... WHERE ... RETURNING`.
//!
//! An update without a filter changes every row, which is rarely meant:
//! it only runs after `.filter(...)` or an explicit `.all_rows()`.
//!
//! `.from_cte(cte)` reads a CTE as well: `WITH c AS (...) UPDATE t SET
//! ... FROM c WHERE ...`, its columns usable in filters, values and
//! RETURNING (the filter is also the join condition, as in SQL).

use super::cte::{write_with, Cte, CteDefinition, CteKind, CteTable, ModifyingBody, ReadOnly};
use super::expr::{Node, Operand};
use super::returning::Returning;
use super::row::FromRow;
use super::scope::InScope;
use super::select::{and_into, JoinWith, Selection};
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

/// ` FROM a, b` (or ` USING`) for the CTEs an update (delete) reads.
pub(crate) fn write_from(w: &mut SqlWriter, keyword: &str, names: &[&'static str]) {
    for (i, name) in names.iter().enumerate() {
        w.push(if i == 0 { keyword } else { ", " });
        w.ident(name);
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

/// An `UPDATE T`, filter state `F`, returning `Out` per row; `Q` is what
/// its expressions may read (`T`, and the CTEs of [`Update::from_cte`]).
#[must_use]
pub struct Update<T, F, Out, Q = T, K = ReadOnly> {
    set: Assignments<T>,
    with: Vec<CteDefinition>,
    from: Vec<&'static str>,
    filter: Option<Node>,
    returning: Returning,
    marker: PhantomData<fn() -> (F, Out, Q, K)>,
}

/// `UPDATE table SET ...`.
pub fn update<T: Table>() -> Update<T, NoFilter, ()> {
    Update {
        set: Assignments::new(),
        with: Vec::new(),
        from: Vec::new(),
        filter: None,
        returning: Returning::Nothing,
        marker: PhantomData,
    }
}

impl<T: Table, F, Out, Q, K: CteKind> Update<T, F, Out, Q, K> {
    fn retype<F2, O2, Q2, K2>(self) -> Update<T, F2, O2, Q2, K2> {
        Update {
            set: self.set,
            with: self.with,
            from: self.from,
            filter: self.filter,
            returning: self.returning,
            marker: PhantomData,
        }
    }

    /// `column = value`: a value, or a column or expression of the tables
    /// the update reads.
    pub fn set<V, R, I>(mut self, column: Column<T, V>, value: R) -> Self
    where
        V: Value,
        R: Operand<V::Kind>,
        R::Source: InScope<Q, I>,
    {
        self.set.items.push((column.name(), value.into_node()));
        self
    }

    /// `WITH C AS (...) UPDATE ... FROM C`: the update also reads the CTE
    /// (join it to the table with `.filter(...)`; a row of `T` matched by
    /// several CTE rows is updated once, with one of them, as in SQL). A
    /// data-modifying CTE ([`Cte::modifying`]) makes the update one that
    /// cannot be nested in turn.
    pub fn from_cte<C: CteTable, K2: CteKind>(
        mut self,
        cte: Cte<C, K2>,
    ) -> Update<T, F, Out, Q::Out, K::Or<K2>>
    where
        Q: JoinWith<C>,
    {
        self.with.extend(cte.definition);
        self.from.push(C::FROM_NAME);
        self.retype()
    }

    /// `column = NULL`.
    pub fn set_null<V>(mut self, column: Column<T, Option<V>>) -> Self {
        self.set = self.set.set_null(column);
        self
    }

    /// Adds a condition (several are joined with AND).
    pub fn filter<E, I>(mut self, cond: E) -> Update<T, Filtered, Out, Q, K>
    where
        E: super::expr::IntoExpr<Value = bool>,
        E::Source: InScope<Q, I>,
    {
        and_into(&mut self.filter, cond.into_node());
        self.retype()
    }

    /// Updates every row of the table, on purpose.
    pub fn all_rows(self) -> Update<T, Filtered, Out, Q, K> {
        self.retype()
    }

    /// `RETURNING *`: each updated row, decoded as `T`.
    pub fn returning_all(mut self) -> Update<T, F, T, Q, K>
    where
        T: FromRow,
    {
        self.returning = Returning::All(T::TABLE_NAME, T::COLUMN_NAMES);
        self.retype()
    }

    /// `RETURNING ...`: chosen columns or expressions of the updated rows
    /// (and of the CTEs it reads).
    pub fn returning<S: Selection<Q, I>, I>(
        mut self,
        selection: S,
    ) -> Update<T, F, S::Output, Q, K> {
        self.returning = Returning::columns(selection);
        self.retype()
    }
}

impl<T: Table, Out: FromRow, Q, K: CteKind> Statement for Update<T, Filtered, Out, Q, K> {
    type Output = Out;
    fn write(self, w: &mut SqlWriter) {
        write_with(self.with, w);
        w.push("UPDATE ");
        w.table(T::TABLE_SCHEMA, T::TABLE_NAME);
        w.push(" SET ");
        write_assignments(w, self.set.items);
        write_from(w, " FROM ", &self.from);
        if let Some(f) = self.filter {
            w.push(" WHERE ");
            f.write(w);
        }
        self.returning.write(w);
    }
}

/// The body of a data-modifying CTE (the CTEs it reads are read-only).
impl<T, Out, Q> ModifyingBody for Update<T, Filtered, Out, Q, ReadOnly> where
    Self: Statement + Send + 'static
{
}
