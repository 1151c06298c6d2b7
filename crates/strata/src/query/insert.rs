//! `INSERT`: one row or many, `ON CONFLICT` (upsert), `RETURNING`.
//!
//! Rows are [`InsertRow`] values: `#[derive(Table)]` generates one per
//! table, `New<Table>` (`NewUser` for `User`), whose required columns
//! (not null, no default, not serial/identity/generated) are plain fields
//! and constructor arguments and whose others are `Option`s that mean
//! DEFAULT when `None`. Leaving out a required column is a compile error.

use super::expr::Node;
use super::returning::Returning;
use super::row::FromRow;
use super::select::Selection;
use super::sql_writer::SqlWriter;
use super::statement::Statement;
use super::update::Assignments;
use super::value::Value;
use crate::column::Column;
use crate::table::Table;
use std::marker::PhantomData;

/// A row to insert into table `Table`.
#[diagnostic::on_unimplemented(
    message = "`{Self}` is not a row to insert",
    label = "not an insertable row",
    note = "insert the `New...` struct #[derive(Table)] generates (`NewUser` for `User`), built with `NewUser::new(required columns...)`"
)]
pub trait InsertRow {
    /// The table the row goes into.
    type Table: Table;
    /// The columns a row writes, in order (generated columns are left out).
    const COLUMNS: &'static [&'static str];
    /// Marks (sets to `true`) the columns this row gives a value for:
    /// every required one, and each optional one that is `Some`.
    #[doc(hidden)]
    fn mark_given(&self, given: &mut [bool]);
    /// Writes `$1, DEFAULT, $2, ...` for the columns marked in `columns`.
    #[doc(hidden)]
    fn write_values(self, w: &mut SqlWriter, columns: &[bool]);
}

/// A required cell: always a bound value. Used by generated code.
#[doc(hidden)]
pub fn cell<V: Value>(w: &mut SqlWriter, first: &mut bool, v: V) {
    separate(w, first);
    w.param(v.into_param());
}

/// An optional cell: a bound value, or DEFAULT for `None`. Used by generated code.
#[doc(hidden)]
pub fn cell_or_default<V: Value>(w: &mut SqlWriter, first: &mut bool, v: Option<V>) {
    separate(w, first);
    match v {
        Some(v) => w.param(v.into_param()),
        None => w.push("DEFAULT"),
    }
}

fn separate(w: &mut SqlWriter, first: &mut bool) {
    if !std::mem::take(first) {
        w.push(", ");
    }
}

enum Conflict {
    Nothing(Vec<&'static str>),
    Update(Vec<&'static str>, Vec<(&'static str, Node)>),
}

/// An `INSERT INTO T` of rows `R`, returning `Out` per row.
#[must_use]
pub struct Insert<T, R, Out> {
    rows: Vec<R>,
    conflict: Option<Conflict>,
    returning: Returning,
    marker: PhantomData<fn() -> (T, Out)>,
}

/// `INSERT INTO table VALUES (row)`.
pub fn insert<R: InsertRow>(row: R) -> Insert<R::Table, R, ()> {
    insert_many(vec![row])
}

/// `INSERT INTO table VALUES (row), (row), ...` in one statement.
pub fn insert_many<R: InsertRow>(rows: Vec<R>) -> Insert<R::Table, R, ()> {
    Insert {
        rows,
        conflict: None,
        returning: Returning::Nothing,
        marker: PhantomData,
    }
}

/// The conflict target of an upsert: a column or a tuple of columns of `T`
/// with a unique constraint (or the primary key) over exactly them.
pub trait ConflictTarget<T> {
    #[doc(hidden)]
    fn names(self) -> Vec<&'static str>;
}

impl<T: Table, V> ConflictTarget<T> for Column<T, V> {
    fn names(self) -> Vec<&'static str> {
        vec![self.name()]
    }
}

impl<T: Table, A, B> ConflictTarget<T> for (Column<T, A>, Column<T, B>) {
    fn names(self) -> Vec<&'static str> {
        vec![self.0.name(), self.1.name()]
    }
}

impl<T: Table, A, B, C> ConflictTarget<T> for (Column<T, A>, Column<T, B>, Column<T, C>) {
    fn names(self) -> Vec<&'static str> {
        vec![self.0.name(), self.1.name(), self.2.name()]
    }
}

/// An upsert waiting for its action: `.do_nothing()` or `.do_update(...)`.
#[must_use]
pub struct PendingConflict<T, R, Out> {
    insert: Insert<T, R, Out>,
    target: Vec<&'static str>,
}

impl<T: Table, R, Out> PendingConflict<T, R, Out> {
    /// `ON CONFLICT (target) DO NOTHING`.
    pub fn do_nothing(mut self) -> Insert<T, R, Out> {
        self.insert.conflict = Some(Conflict::Nothing(self.target));
        self.insert
    }

    /// `ON CONFLICT (target) DO UPDATE SET ...`; use
    /// [`super::excluded`] for the values of the row that was not inserted.
    pub fn do_update(
        mut self,
        set: impl FnOnce(Assignments<T>) -> Assignments<T>,
    ) -> Insert<T, R, Out> {
        let a = set(Assignments::new());
        self.insert.conflict = Some(Conflict::Update(self.target, a.items));
        self.insert
    }
}

impl<T: Table, R: InsertRow<Table = T>, Out> Insert<T, R, Out> {
    fn retype<O2>(self) -> Insert<T, R, O2> {
        Insert {
            rows: self.rows,
            conflict: self.conflict,
            returning: self.returning,
            marker: PhantomData,
        }
    }

    /// `ON CONFLICT DO NOTHING`: rows that would violate any unique
    /// constraint are skipped.
    pub fn on_conflict_do_nothing(mut self) -> Self {
        self.conflict = Some(Conflict::Nothing(Vec::new()));
        self
    }

    /// `ON CONFLICT (target) ...`: an upsert on a unique column (or tuple of columns).
    pub fn on_conflict(self, target: impl ConflictTarget<T>) -> PendingConflict<T, R, Out> {
        PendingConflict {
            target: target.names(),
            insert: self,
        }
    }

    /// `RETURNING *`: each inserted row, decoded as `T`.
    pub fn returning_all(mut self) -> Insert<T, R, T>
    where
        T: FromRow,
    {
        self.returning = Returning::All(T::TABLE_NAME, T::COLUMN_NAMES);
        self.retype()
    }

    /// `RETURNING ...`: chosen columns or expressions of the inserted rows.
    pub fn returning<S: Selection<T, I>, I>(mut self, selection: S) -> Insert<T, R, S::Output> {
        self.returning = Returning::columns(selection);
        self.retype()
    }
}

fn write_names<'a>(w: &mut SqlWriter, names: impl IntoIterator<Item = &'a &'static str>) {
    for (i, c) in names.into_iter().enumerate() {
        if i > 0 {
            w.push(", ");
        }
        w.ident(c);
    }
}

/// The columns the statement names: those some row gives a value for. A
/// column every row leaves to its default is left out, which the server
/// fills faster than a `DEFAULT` cell per row; when no row gives any
/// value, the first column stays, as `DEFAULT`.
fn given_columns<R: InsertRow>(rows: &[R]) -> Vec<bool> {
    let mut given = vec![false; R::COLUMNS.len()];
    for row in rows {
        row.mark_given(&mut given);
    }
    if let (false, Some(first)) = (given.contains(&true), given.first_mut()) {
        *first = true;
    }
    given
}

impl<T: Table, R: InsertRow<Table = T>, Out: FromRow> Statement for Insert<T, R, Out> {
    type Output = Out;
    fn write(self, w: &mut SqlWriter) {
        w.push("INSERT INTO ");
        w.table(T::TABLE_SCHEMA, T::TABLE_NAME);
        w.push(" (");
        let columns = given_columns(&self.rows);
        write_names(
            w,
            R::COLUMNS
                .iter()
                .zip(&columns)
                .filter(|(_, given)| **given)
                .map(|(name, _)| name),
        );
        w.push(") VALUES ");
        for (i, row) in self.rows.into_iter().enumerate() {
            w.push(if i > 0 { ", (" } else { "(" });
            row.write_values(w, &columns);
            w.push(")");
        }
        match self.conflict {
            None => {}
            Some(Conflict::Nothing(target)) => {
                w.push(" ON CONFLICT ");
                if !target.is_empty() {
                    w.push("(");
                    write_names(w, &target);
                    w.push(") ");
                }
                w.push("DO NOTHING");
            }
            Some(Conflict::Update(target, set)) => {
                w.push(" ON CONFLICT (");
                write_names(w, &target);
                w.push(") DO UPDATE SET ");
                super::update::write_assignments(w, set);
            }
        }
        self.returning.write(w);
    }
}
