//! `INSERT`: one row or many, `ON CONFLICT` (upsert), `RETURNING`.
//!
//! Rows are [`InsertRow`] values: `#[derive(Table)]` generates one per
//! table, `New<Table>` (`NewUser` for `User`), whose required columns
//! (not null, no default, not serial/identity/generated) are plain fields
//! and constructor arguments and whose others are `Option`s that mean
//! DEFAULT when `None`. Leaving out a required column is a compile error.
//!
//! The rows can also come from a select, `INSERT INTO t (columns) SELECT
//! ...` ([`insert_select`](super::insert_select), in `insert_select.rs`);
//! both forms share `ON CONFLICT`, `RETURNING` and `WITH` ([`Insert::with`]),
//! written by one [`InsertTail`] and one `write_head`.
//!
//! An insert with a RETURNING is also the body of a data-modifying CTE
//! ([`Cte::modifying`](super::Cte::modifying)), unless it carries one
//! itself (`K` = [`Modifying`](super::Modifying)): PostgreSQL takes those
//! only at the top level.

use super::cte::{write_with, Cte, CteDefinition, CteKind, CteTable, ModifyingBody, ReadOnly};
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

/// The rows of a `VALUES` insert.
pub struct Values<R>(Vec<R>);

/// An `INSERT INTO T` whose rows come from `Src` ([`Values`] of
/// [`InsertRow`]s, or a select: [`FromSelect`](super::FromSelect)), returning `Out` per row.
/// `K` says whether its `WITH` items include a data-modifying one (see
/// [`Cte::modifying`](super::Cte::modifying)).
#[must_use]
pub struct Insert<T, Src, Out, K = ReadOnly> {
    with: Vec<CteDefinition>,
    source: Src,
    conflict: Option<Conflict>,
    returning: Returning,
    marker: PhantomData<fn() -> (T, Out, K)>,
}

/// `INSERT INTO table VALUES (row)`.
pub fn insert<R: InsertRow>(row: R) -> Insert<R::Table, Values<R>, ()> {
    insert_many(vec![row])
}

/// `INSERT INTO table VALUES (row), (row), ...` in one statement.
pub fn insert_many<R: InsertRow>(rows: Vec<R>) -> Insert<R::Table, Values<R>, ()> {
    Insert::from_source(Values(rows))
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
pub struct PendingConflict<T, Src, Out, K = ReadOnly> {
    insert: Insert<T, Src, Out, K>,
    target: Vec<&'static str>,
}

impl<T: Table, Src, Out, K> PendingConflict<T, Src, Out, K> {
    /// `ON CONFLICT (target) DO NOTHING`.
    pub fn do_nothing(mut self) -> Insert<T, Src, Out, K> {
        self.insert.conflict = Some(Conflict::Nothing(self.target));
        self.insert
    }

    /// `ON CONFLICT (target) DO UPDATE SET ...`; use
    /// [`super::excluded`] for the values of the row that was not inserted.
    pub fn do_update(
        mut self,
        set: impl FnOnce(Assignments<T>) -> Assignments<T>,
    ) -> Insert<T, Src, Out, K> {
        let a = set(Assignments::new());
        self.insert.conflict = Some(Conflict::Update(self.target, a.items));
        self.insert
    }
}

impl<T, Src, Out, K> Insert<T, Src, Out, K> {
    pub(crate) fn from_source(source: Src) -> Self {
        Insert {
            with: Vec::new(),
            source,
            conflict: None,
            returning: Returning::Nothing,
            marker: PhantomData,
        }
    }

    fn retype<O2, K2>(self) -> Insert<T, Src, O2, K2> {
        Insert {
            with: self.with,
            source: self.source,
            conflict: self.conflict,
            returning: self.returning,
            marker: PhantomData,
        }
    }
}

impl<T: Table, Src, Out, K: CteKind> Insert<T, Src, Out, K> {
    /// `WITH C AS (...) INSERT ...`: the statement carries the CTE. The
    /// insert itself reads no CTE (a select it inserts from carries those
    /// it reads), so this is for a data-modifying CTE, which runs once
    /// even unread: `WITH gone AS (DELETE ... RETURNING ...) INSERT ...`.
    ///
    /// ```no_run
    /// use strata::query::prelude::*;
    /// use strata::query::{Connection, Cte, QueryError};
    /// use strata_example_school::{Intervention, NewRole, Role};
    ///
    /// strata::cte! {
    ///     pub struct Gone as "gone" {
    ///         ID: i32 = "id",
    ///     }
    /// }
    ///
    /// async fn run(db: &Connection) -> Result<u64, QueryError> {
    ///     // WITH "gone" ("id") AS (DELETE FROM "public"."interventions"
    ///     // WHERE ... RETURNING "interventions"."id") INSERT INTO "public"."roles" ...
    ///     Role::insert(NewRole::new("archivist"))
    ///         .with(Cte::<Gone>::modifying(
    ///             Intervention::delete()
    ///                 .filter(Intervention::CREATED_BY.eq(7))
    ///                 .returning(Intervention::ID),
    ///         ))
    ///         .execute(db)
    ///         .await
    /// }
    /// ```
    pub fn with<C: CteTable, K2: CteKind>(
        mut self,
        cte: Cte<C, K2>,
    ) -> Insert<T, Src, Out, K::Or<K2>> {
        self.with.extend(cte.definition);
        self.retype()
    }

    /// `ON CONFLICT DO NOTHING`: rows that would violate any unique
    /// constraint are skipped.
    pub fn on_conflict_do_nothing(mut self) -> Self {
        self.conflict = Some(Conflict::Nothing(Vec::new()));
        self
    }

    /// `ON CONFLICT (target) ...`: an upsert on a unique column (or tuple of columns).
    pub fn on_conflict(self, target: impl ConflictTarget<T>) -> PendingConflict<T, Src, Out, K> {
        PendingConflict {
            target: target.names(),
            insert: self,
        }
    }

    /// `RETURNING *`: each inserted row, decoded as `T`.
    pub fn returning_all(mut self) -> Insert<T, Src, T, K>
    where
        T: FromRow,
    {
        self.returning = Returning::All(T::TABLE_NAME, T::COLUMN_NAMES);
        self.retype()
    }

    /// `RETURNING ...`: chosen columns or expressions of the inserted rows.
    pub fn returning<S: Selection<T, I>, I>(
        mut self,
        selection: S,
    ) -> Insert<T, Src, S::Output, K> {
        self.returning = Returning::columns(selection);
        self.retype()
    }

    /// The source's parts, for the statement's writer.
    pub(crate) fn into_parts(self) -> (Vec<CteDefinition>, Src, InsertTail) {
        (
            self.with,
            self.source,
            InsertTail {
                conflict: self.conflict,
                returning: self.returning,
            },
        )
    }
}

/// Writes `[WITH ...] INSERT INTO table (columns) `, with the `WITH`
/// items of a select the rows come from after the insert's own: a
/// data-modifying one is valid only there, at the top level.
pub(crate) fn write_head<'a, T: Table>(
    with: Vec<CteDefinition>,
    hoisted: Vec<CteDefinition>,
    columns: impl IntoIterator<Item = &'a &'static str>,
    w: &mut SqlWriter,
) {
    let mut with = with;
    with.extend(hoisted);
    write_with(with, w);
    w.push("INSERT INTO ");
    w.table(T::TABLE_SCHEMA, T::TABLE_NAME);
    w.push(" (");
    write_names(w, columns);
    w.push(") ");
}

/// What follows the rows: `ON CONFLICT ...` and `RETURNING ...`, one
/// writer for both forms of insert.
pub(crate) struct InsertTail {
    conflict: Option<Conflict>,
    returning: Returning,
}

impl InsertTail {
    pub(crate) fn write(self, w: &mut SqlWriter) {
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

impl<T: Table, R: InsertRow<Table = T>, Out: FromRow, K: CteKind> Statement
    for Insert<T, Values<R>, Out, K>
{
    type Output = Out;
    fn write(self, w: &mut SqlWriter) {
        let (with, Values(rows), tail) = self.into_parts();
        let columns = given_columns(&rows);
        write_head::<T>(
            with,
            Vec::new(),
            R::COLUMNS
                .iter()
                .zip(&columns)
                .filter(|(_, given)| **given)
                .map(|(name, _)| name),
            w,
        );
        w.push("VALUES ");
        for (i, row) in rows.into_iter().enumerate() {
            w.push(if i > 0 { ", (" } else { "(" });
            row.write_values(w, &columns);
            w.push(")");
        }
        tail.write(w);
    }
}

/// A data-modifying CTE's body, when its own `WITH` items only read.
impl<T, Src, Out> ModifyingBody for Insert<T, Src, Out, ReadOnly> where
    Self: Statement + Send + 'static
{
}
