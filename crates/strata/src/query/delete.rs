//! `DELETE FROM ... WHERE ... RETURNING`.
//!
//! Like an update, a delete runs only after `.filter(...)` or `.all_rows()`.
//!
//! `.using_cte(cte)` reads a CTE as well: `WITH c AS (...) DELETE FROM t
//! USING c WHERE ...`, its columns usable in filters and RETURNING.

use super::cte::{write_with, Cte, CteDefinition, CteKind, CteTable, ModifyingBody, ReadOnly};
use super::expr::{IntoExpr, Node};
use super::returning::Returning;
use super::row::FromRow;
use super::scope::InScope;
use super::select::{and_into, JoinWith, Selection};
use super::sql_writer::SqlWriter;
use super::statement::Statement;
use super::update::{write_from, Filtered, NoFilter};
use crate::table::Table;
use std::marker::PhantomData;

/// A `DELETE FROM T`, filter state `F`, returning `Out` per row; `Q` is
/// what its expressions may read (`T`, and the CTEs of [`Delete::using_cte`]).
#[must_use]
pub struct Delete<T, F, Out, Q = T, K = ReadOnly> {
    with: Vec<CteDefinition>,
    using: Vec<&'static str>,
    filter: Option<Node>,
    returning: Returning,
    marker: PhantomData<fn() -> (T, F, Out, Q, K)>,
}

/// `DELETE FROM table`.
pub fn delete<T: Table>() -> Delete<T, NoFilter, ()> {
    Delete {
        with: Vec::new(),
        using: Vec::new(),
        filter: None,
        returning: Returning::Nothing,
        marker: PhantomData,
    }
}

impl<T: Table, F, Out, Q, K: CteKind> Delete<T, F, Out, Q, K> {
    fn retype<F2, O2, Q2, K2>(self) -> Delete<T, F2, O2, Q2, K2> {
        Delete {
            with: self.with,
            using: self.using,
            filter: self.filter,
            returning: self.returning,
            marker: PhantomData,
        }
    }

    /// `WITH C AS (...) DELETE ... USING C`: the delete also reads the CTE
    /// (join it to the table with `.filter(...)`). A data-modifying CTE
    /// ([`Cte::modifying`]) makes the delete one that cannot be nested in
    /// turn.
    pub fn using_cte<C: CteTable, K2: CteKind>(
        mut self,
        cte: Cte<C, K2>,
    ) -> Delete<T, F, Out, Q::Out, K::Or<K2>>
    where
        Q: JoinWith<C>,
    {
        self.with.extend(cte.definition);
        self.using.push(C::FROM_NAME);
        self.retype()
    }

    /// Adds a condition (several are joined with AND).
    pub fn filter<E, I>(mut self, cond: E) -> Delete<T, Filtered, Out, Q, K>
    where
        E: IntoExpr<Value = bool>,
        E::Source: InScope<Q, I>,
    {
        and_into(&mut self.filter, cond.into_node());
        self.retype()
    }

    /// Deletes every row of the table, on purpose.
    pub fn all_rows(self) -> Delete<T, Filtered, Out, Q, K> {
        self.retype()
    }

    /// `RETURNING *`: each deleted row, decoded as `T`.
    pub fn returning_all(mut self) -> Delete<T, F, T, Q, K>
    where
        T: FromRow,
    {
        self.returning = Returning::All(T::TABLE_NAME, T::COLUMN_NAMES);
        self.retype()
    }

    /// `RETURNING ...`: chosen columns or expressions of the deleted rows
    /// (and of the CTEs it reads).
    pub fn returning<S: Selection<Q, I>, I>(
        mut self,
        selection: S,
    ) -> Delete<T, F, S::Output, Q, K> {
        self.returning = Returning::columns(selection);
        self.retype()
    }
}

impl<T: Table, Out: FromRow, Q, K: CteKind> Statement for Delete<T, Filtered, Out, Q, K> {
    type Output = Out;
    fn write(self, w: &mut SqlWriter) {
        write_with(self.with, w);
        w.push("DELETE FROM ");
        w.table(T::TABLE_SCHEMA, T::TABLE_NAME);
        write_from(w, " USING ", &self.using);
        if let Some(f) = self.filter {
            w.push(" WHERE ");
            f.write(w);
        }
        self.returning.write(w);
    }
}

/// The body of a data-modifying CTE (the CTEs it reads are read-only).
impl<T, Out, Q> ModifyingBody for Delete<T, Filtered, Out, Q, ReadOnly> where
    Self: Statement + Send + 'static
{
}
