//! Relational queries: declared relations and nested loads compiled to ONE
//! statement.
//!
//! A relation is declared from the typed key columns
//! ([`has_many`], [`has_one`], [`belongs_to`], [`many_to_many`]), usually
//! once next to the schema:
//!
//! ```no_run
//! use strata::query::prelude::*;
//! use strata::query::{QueryError, Rel, ToMany, ToOne};
//! use strata_example_school::{Role, User, UserRole};
//!
//! fn user_roles() -> Rel<User, UserRole, UserRole, ToMany> { has_many(User::ID, UserRole::USER_ID) }
//! fn role() -> Rel<UserRole, Role, Role, ToOne> { belongs_to(UserRole::ROLE_ID, Role::ID) }
//!
//! # async fn example(db: strata::query::Connection, sub: &str) -> Result<(), QueryError> {
//! let (user, roles): (User, Many<(UserRole, One<Role>)>) = User::load()
//!     .filter(User::COGNITO_SUB.eq(sub))
//!     .with(user_roles().with(role()))
//!     .one(&db).await?;
//! # let _ = (user, roles);
//! # Ok(())
//! # }
//! ```
//!
//! Each level may choose its columns, filter, order and limit. The whole
//! tree is ONE statement, planned set by set rather than row by row: each
//! level is a CTE that looks its parent level's keys up in its own table
//! (`WHERE posts.user_id IN (SELECT unnest(ARRAY(SELECT "k0" FROM "l0")))`:
//! index lookups, as a batched query per level does) and ranks its rows per
//! parent when ordered or limited (`row_number() OVER (PARTITION BY ...)`).
//! The levels come back as one result, a `UNION ALL` of one arm per
//! level, so that each row holds one level's columns (typed, NULL
//! elsewhere); [`super::load_tree`] groups them by key and decodes them
//! with the same code as top-level cells. No per-level round trip, no
//! JSON or text detour. A shallow level without a limit is `NOT
//! MATERIALIZED`, so the planner reads it where it is used instead of
//! storing it first (see `write_nested`).
//!
//! A relation from a table to itself (a tree) works like any other: each
//! level reads its parent's keys through the parent's CTE, never by
//! table name.

use super::cells::Cells;
use super::error::QueryError;
use super::expr::{write_list, IntoExpr, IntoOrder, Node, SameKind};
use super::load_tree::{LevelShape, Shape};
use super::row::FromRow;
use super::scope::InScope;
use super::select::{and_into, Selection};
use super::sql_writer::SqlWriter;
use super::statement::Statement;
use super::value::Value;
use crate::column::Column;
use crate::table::Table;
use std::marker::PhantomData;
use strata_postgres::quote::ident;

/// The rows of a to-many relation.
#[derive(Debug, Clone, PartialEq)]
pub struct Many<X>(pub Vec<X>);

/// The row of a to-one relation, if there is one.
#[derive(Debug, Clone, PartialEq)]
pub struct One<X>(pub Option<X>);

impl<X> std::ops::Deref for Many<X> {
    type Target = Vec<X>;
    fn deref(&self) -> &Vec<X> {
        &self.0
    }
}

impl<X> std::ops::Deref for One<X> {
    type Target = Option<X>;
    fn deref(&self) -> &Option<X> {
        &self.0
    }
}

impl<X> IntoIterator for Many<X> {
    type Item = X;
    type IntoIter = std::vec::IntoIter<X>;
    fn into_iter(self) -> Self::IntoIter {
        self.0.into_iter()
    }
}

impl<X: FromRow> FromRow for Many<X> {
    fn from_row<C: Cells>(row: &C, at: &mut usize) -> Result<Self, QueryError> {
        let related = row.related(*at)?;
        *at += 1;
        // Sized up front: a collect through `Result` cannot know the count.
        let mut out = Vec::with_capacity(related.size_hint().0);
        for r in related {
            out.push(X::from_row(&r, &mut 0)?);
        }
        Ok(Many(out))
    }
}

impl<X: FromRow> FromRow for One<X> {
    fn from_row<C: Cells>(row: &C, at: &mut usize) -> Result<Self, QueryError> {
        let mut related = row.related(*at)?;
        *at += 1;
        related
            .next()
            .map(|r| X::from_row(&r, &mut 0))
            .transpose()
            .map(One)
    }
}

/// Cardinality marker: to-many ([`Many`]).
pub struct ToMany;
/// Cardinality marker: to-one ([`One`]).
pub struct ToOne;

/// How a child level finds its parent's rows.
enum Link {
    /// `child.col = parent.col`.
    Direct {
        parent: (&'static str, &'static str),
        child: &'static str,
    },
    /// Through a join table: `join.child_fk = child.key` joined, and
    /// `join.parent_fk = parent.key` as the condition.
    Through {
        parent: (&'static str, &'static str),
        join: (&'static str, &'static str),
        join_parent: &'static str,
        join_child: &'static str,
        child_key: &'static str,
    },
}

/// One related level, untyped.
pub(crate) struct Level {
    schema: &'static str,
    table: &'static str,
    all_columns: &'static [&'static str],
    columns: Option<Vec<Node>>,
    link: Link,
    nested: Vec<Level>,
    filter: Option<Node>,
    order_by: Vec<Node>,
    limit: Option<i64>,
}

/// A declared relation from rows of `P` to rows of `C`, each related row
/// decoded as `Out`, cardinality `Card` ([`ToMany`] or [`ToOne`]).
#[must_use]
pub struct Rel<P, C, Out, Card> {
    level: Level,
    marker: PhantomData<fn() -> (P, C, Out, Card)>,
}

fn level<C: Table>(link: Link) -> Level {
    Level {
        schema: C::TABLE_SCHEMA,
        table: C::TABLE_NAME,
        all_columns: C::COLUMN_NAMES,
        columns: None,
        link,
        nested: Vec::new(),
        filter: None,
        order_by: Vec::new(),
        limit: None,
    }
}

fn rel<P, C: Table, Card>(link: Link) -> Rel<P, C, C, Card> {
    Rel {
        level: level::<C>(link),
        marker: PhantomData,
    }
}

/// One-to-many: the rows of `C` whose `child_fk` equals the parent's
/// `parent_key`: `has_many(User::ID, UserRole::USER_ID)`.
pub fn has_many<P: Table, C: Table, K: Value, K2: Value>(
    parent_key: Column<P, K>,
    child_fk: Column<C, K2>,
) -> Rel<P, C, C, ToMany>
where
    K2::Kind: SameKind<K::Kind>,
{
    rel(Link::Direct {
        parent: (P::TABLE_NAME, parent_key.name()),
        child: child_fk.name(),
    })
}

/// One-to-one from the referenced side: the row of `C` whose `child_fk`
/// equals the parent's `parent_key` (at most one, e.g. a unique fk).
pub fn has_one<P: Table, C: Table, K: Value, K2: Value>(
    parent_key: Column<P, K>,
    child_fk: Column<C, K2>,
) -> Rel<P, C, C, ToOne>
where
    K2::Kind: SameKind<K::Kind>,
{
    rel(Link::Direct {
        parent: (P::TABLE_NAME, parent_key.name()),
        child: child_fk.name(),
    })
}

/// Many-to-one (the foreign key side): the row of `C` the parent's `fk`
/// references: `belongs_to(UserRole::ROLE_ID, Role::ID)`.
pub fn belongs_to<P: Table, C: Table, K: Value, K2: Value>(
    fk: Column<P, K>,
    key: Column<C, K2>,
) -> Rel<P, C, C, ToOne>
where
    K2::Kind: SameKind<K::Kind>,
{
    rel(Link::Direct {
        parent: (P::TABLE_NAME, fk.name()),
        child: key.name(),
    })
}

/// Many-to-many through join table `J`:
/// `many_to_many(User::ID, UserRole::USER_ID, UserRole::ROLE_ID, Role::ID)`
/// is the roles of a user.
pub fn many_to_many<P, J, C, K1, K2, K3, K4>(
    parent_key: Column<P, K1>,
    join_parent: Column<J, K2>,
    join_child: Column<J, K3>,
    child_key: Column<C, K4>,
) -> Rel<P, C, C, ToMany>
where
    P: Table,
    J: Table,
    C: Table,
    K1: Value,
    K2: Value,
    K3: Value,
    K4: Value,
    K2::Kind: SameKind<K1::Kind>,
    K4::Kind: SameKind<K3::Kind>,
{
    rel(Link::Through {
        parent: (P::TABLE_NAME, parent_key.name()),
        join: (J::TABLE_SCHEMA, J::TABLE_NAME),
        join_parent: join_parent.name(),
        join_child: join_child.name(),
        child_key: child_key.name(),
    })
}

/// Adds a related level's output to a row's output: `User` then
/// `(User, Many<Role>)`, then `(User, Many<Role>, One<School>)`.
pub trait Append<X> {
    /// The widened output.
    type Out;
}
impl<T: Table, X> Append<X> for T {
    type Out = (T, X);
}
impl<A, B, X> Append<X> for (A, B) {
    type Out = (A, B, X);
}
impl<A, B, C, X> Append<X> for (A, B, C) {
    type Out = (A, B, C, X);
}
impl<A, B, C, D, X> Append<X> for (A, B, C, D) {
    type Out = (A, B, C, D, X);
}
impl<A, B, C, D, E, X> Append<X> for (A, B, C, D, E) {
    type Out = (A, B, C, D, E, X);
}

/// A relation that can be loaded under rows of `P`.
pub trait Relation<P> {
    /// What it adds to each parent row ([`Many`] or [`One`]).
    type Output: FromRow;
    #[doc(hidden)]
    fn into_level(self) -> Level;
}

impl<P, C, Out: FromRow> Relation<P> for Rel<P, C, Out, ToMany> {
    type Output = Many<Out>;
    fn into_level(self) -> Level {
        self.level
    }
}

impl<P, C, Out: FromRow> Relation<P> for Rel<P, C, Out, ToOne> {
    type Output = One<Out>;
    fn into_level(self) -> Level {
        self.level
    }
}

impl<P, C: Table, Out, Card> Rel<P, C, Out, Card> {
    fn retype<O2>(self) -> Rel<P, C, O2, Card> {
        Rel {
            level: self.level,
            marker: PhantomData,
        }
    }

    /// Only the related rows matching `cond` (several are joined with AND).
    pub fn filter<E, I>(mut self, cond: E) -> Self
    where
        E: IntoExpr<Value = bool>,
        E::Source: InScope<C, I>,
    {
        and_into(&mut self.level.filter, cond.into_node());
        self
    }

    /// The related rows in this order (call again for more terms).
    pub fn order_by<E, I>(mut self, term: E) -> Self
    where
        E: IntoOrder,
        E::Source: InScope<C, I>,
    {
        self.level.order_by.push(term.into_order());
        self
    }

    /// At most `n` related rows per parent row.
    pub fn limit(mut self, n: i64) -> Self {
        self.level.limit = Some(n);
        self
    }

    /// Chosen columns (a tuple) instead of the whole row of `C`.
    pub fn columns<S, I>(mut self, selection: S) -> Rel<P, C, S::Output, Card>
    where
        S: Selection<C, I>,
    {
        let mut cols = Vec::new();
        selection.push_columns(&mut cols);
        self.level.columns = Some(cols);
        self.retype()
    }

    /// Loads a further level under each related row.
    pub fn with<R: Relation<C>>(mut self, related: R) -> Rel<P, C, Out::Out, Card>
    where
        Out: Append<R::Output>,
    {
        self.level.nested.push(related.into_level());
        self.retype()
    }
}

/// A nested load rooted at table `T`, each root row decoded as `Out`.
#[must_use]
pub struct Load<T, Out> {
    root: Level,
    offset: Option<i64>,
    marker: PhantomData<fn() -> (T, Out)>,
}

/// Starts a nested load of `T`'s rows.
pub fn load<T: Table>() -> Load<T, T> {
    Load {
        root: level::<T>(Link::Direct {
            parent: ("", ""),
            child: "",
        }),
        offset: None,
        marker: PhantomData,
    }
}

impl<T: Table, Out> Load<T, Out> {
    fn retype<O2>(self) -> Load<T, O2> {
        Load {
            root: self.root,
            offset: self.offset,
            marker: PhantomData,
        }
    }

    /// Only the root rows matching `cond` (several are joined with AND).
    pub fn filter<E, I>(mut self, cond: E) -> Self
    where
        E: IntoExpr<Value = bool>,
        E::Source: InScope<T, I>,
    {
        and_into(&mut self.root.filter, cond.into_node());
        self
    }

    /// The root rows in this order (call again for more terms).
    pub fn order_by<E, I>(mut self, term: E) -> Self
    where
        E: IntoOrder,
        E::Source: InScope<T, I>,
    {
        self.root.order_by.push(term.into_order());
        self
    }

    /// At most `n` root rows (related levels are loaded for those only).
    pub fn limit(mut self, n: i64) -> Self {
        self.root.limit = Some(n);
        self
    }

    /// Skips `n` root rows.
    pub fn offset(mut self, n: i64) -> Self {
        self.offset = Some(n);
        self
    }

    /// Chosen root columns (a tuple) instead of the whole row.
    pub fn columns<S, I>(mut self, selection: S) -> Load<T, S::Output>
    where
        S: Selection<T, I>,
    {
        let mut cols = Vec::new();
        selection.push_columns(&mut cols);
        self.root.columns = Some(cols);
        self.retype()
    }

    /// Loads a related level under each root row.
    pub fn with<R: Relation<T>>(mut self, related: R) -> Load<T, Out::Out>
    where
        Out: Append<R::Output>,
    {
        self.root.nested.push(related.into_level());
        self.retype()
    }
}

/// Writes `"lN"`, the name of level `n`'s CTE.
fn level_name(w: &mut SqlWriter, n: usize) {
    w.ident(&format!("l{n}"));
}

/// Writes ` AS "prefixN"`.
fn alias(w: &mut SqlWriter, prefix: char, n: usize) {
    w.push(" AS ");
    w.ident(&format!("{prefix}{n}"));
}

/// Writes `, ` before every item of a list but the first.
fn separate(w: &mut SqlWriter, first: &mut bool) {
    if !std::mem::take(first) {
        w.push(", ");
    }
}

impl Level {
    /// Whether a nested level's rows carry a rank among their siblings
    /// (`row_number() OVER (PARTITION BY ...)`): when ordered or limited.
    fn ranked(&self) -> bool {
        !self.order_by.is_empty() || self.limit.is_some()
    }

    /// How many columns of its own the level's rows have.
    fn width(&self) -> usize {
        self.columns
            .as_ref()
            .map_or(self.all_columns.len(), Vec::len)
    }

    /// Which of the level's own columns is `table.column` selected as
    /// is, if one is: a key that is already there is not sent twice.
    fn own_column(&self, table: &str, column: &str) -> Option<usize> {
        if table != self.table {
            return None;
        }
        match &self.columns {
            None => self.all_columns.iter().position(|c| *c == column),
            Some(cols) => cols
                .iter()
                .position(|n| matches!(n, Node::Column(t, c) if *t == table && *c == column)),
        }
    }

    /// `(schema, table, column)` of the key a nested level's rows match in
    /// their parent level: the child's column, or the join table's.
    fn match_key(&self) -> (&'static str, &'static str, &'static str) {
        match &self.link {
            Link::Direct { child, .. } => (self.schema, self.table, child),
            Link::Through {
                join, join_parent, ..
            } => (join.0, join.1, join_parent),
        }
    }

    /// The parent level's key column that nested level `child` matches.
    fn key_of(child: &Level) -> (&'static str, &'static str) {
        match &child.link {
            Link::Direct { parent, .. } | Link::Through { parent, .. } => *parent,
        }
    }
}

/// Where a level's cells sit in its run of result columns: `o` (its
/// rank, when ranked), `p` (the key it matched in its parent, when not
/// one of its own columns), `kI` (the key nested level I matches, when
/// not one of its own columns), then its own columns `cJ`.
struct Layout {
    ranked: bool,
    /// For a nested level: the own column that is its parent key, or
    /// `None` for a `p` cell. `None` for the root.
    parent_key: Option<Option<usize>>,
    /// Per nested level: the own column that is its key, or `None` for
    /// a `kI` cell.
    keys: Vec<Option<usize>>,
    columns: usize,
}

impl Layout {
    fn of(level: &Level, nested: bool) -> Layout {
        Layout {
            // The root's rank is its ORDER BY alone (its limit is applied
            // before ranking); a nested level ranks when ordered or limited.
            ranked: if nested {
                level.ranked()
            } else {
                !level.order_by.is_empty()
            },
            parent_key: nested.then(|| match level.link {
                Link::Direct { child, .. } => level.own_column(level.table, child),
                Link::Through { .. } => None,
            }),
            keys: level
                .nested
                .iter()
                .map(|child| {
                    let (table, column) = Level::key_of(child);
                    level.own_column(table, column)
                })
                .collect(),
            columns: level.width(),
        }
    }

    fn extra_parent_key(&self) -> bool {
        matches!(self.parent_key, Some(None))
    }

    /// How many cells the level's rows have.
    fn width(&self) -> usize {
        usize::from(self.ranked)
            + usize::from(self.extra_parent_key())
            + self.keys.iter().filter(|k| k.is_none()).count()
            + self.columns
    }

    /// The CTE column that holds the key nested level `i` matches.
    fn key_name(&self, i: usize) -> String {
        match self.keys[i] {
            Some(j) => format!("c{j}"),
            None => format!("k{i}"),
        }
    }

    /// The level's shape in the result when its cells start at `at`.
    fn shape(&self, at: usize, children: Vec<usize>) -> LevelShape {
        let columns_at = at + self.width() - self.columns;
        let mut extra = at + usize::from(self.ranked);
        let parent_key_at = self.parent_key.map(|own| match own {
            Some(j) => columns_at + j,
            None => {
                extra += 1;
                extra - 1
            }
        });
        let keys_at = self
            .keys
            .iter()
            .map(|own| match own {
                Some(j) => columns_at + j,
                None => {
                    extra += 1;
                    extra - 1
                }
            })
            .collect();
        LevelShape {
            children,
            rank_at: self.ranked.then_some(at),
            parent_key_at,
            keys_at,
            columns_at,
            columns: self.columns,
        }
    }
}

/// A NULL of the type of one cell of a nested level, for the root's arm
/// of the result (see [`write_result`]).
enum TypedNull {
    /// `NULL::int8`, a rank.
    Rank,
    /// `(NULL::"schema"."table")."column"`: the table's row type gives
    /// the column's, and the planner folds it to a constant.
    Column(&'static str, &'static str, &'static str),
    /// `(SELECT "cJ" FROM "lN" WHERE false)`, for a computed column.
    Cte(usize, usize),
}

impl TypedNull {
    fn write(&self, w: &mut SqlWriter) {
        match self {
            TypedNull::Rank => w.push("NULL::int8"),
            TypedNull::Column(schema, table, column) => {
                w.push("(NULL::");
                w.table(schema, table);
                w.push(").");
                w.ident(column);
            }
            TypedNull::Cte(level, j) => {
                w.push("(SELECT ");
                w.ident(&format!("c{j}"));
                w.push(" FROM ");
                level_name(w, *level);
                w.push(" WHERE false)");
            }
        }
    }
}

/// One level of a load, numbered in declaration order (depth first, the
/// root 0), as written and as decoded.
struct Plan {
    layout: Layout,
    children: Vec<usize>,
    /// One per cell, in order (nested levels only).
    nulls: Vec<TypedNull>,
}

/// The plans of `level` and the levels under it, appended to `plans`;
/// returns the level's number.
fn plan(level: &Level, nested: bool, plans: &mut Vec<Plan>) -> usize {
    let id = plans.len();
    let layout = Layout::of(level, nested);
    let mut nulls = Vec::new();
    if nested {
        if layout.ranked {
            nulls.push(TypedNull::Rank);
        }
        if layout.extra_parent_key() {
            let (s, t, c) = level.match_key();
            nulls.push(TypedNull::Column(s, t, c));
        }
        for (i, child) in level.nested.iter().enumerate() {
            if layout.keys[i].is_none() {
                nulls.push(TypedNull::Column(
                    level.schema,
                    level.table,
                    Level::key_of(child).1,
                ));
            }
        }
        match &level.columns {
            None => nulls.extend(
                level
                    .all_columns
                    .iter()
                    .map(|c| TypedNull::Column(level.schema, level.table, c)),
            ),
            Some(cols) => nulls.extend(cols.iter().enumerate().map(|(j, n)| match n {
                Node::Column(t, c) if *t == level.table => {
                    TypedNull::Column(level.schema, level.table, c)
                }
                _ => TypedNull::Cte(id, j),
            })),
        }
    }
    plans.push(Plan {
        layout,
        children: Vec::new(),
        nulls,
    });
    for child in &level.nested {
        let c = plan(child, true, plans);
        plans[id].children.push(c);
    }
    id
}

fn plans(root: &Level) -> Vec<Plan> {
    let mut plans = Vec::new();
    plan(root, false, &mut plans);
    plans
}

/// Writes a level's cells after its rank (see [`Layout`]), each but the
/// first after `, `.
fn write_cells(w: &mut SqlWriter, level: &mut Level, layout: &Layout, first: &mut bool) {
    if layout.extra_parent_key() {
        separate(w, first);
        write_match_key(w, level);
        w.push(" AS \"p\"");
    }
    for (i, nested) in level.nested.iter().enumerate() {
        if layout.keys[i].is_none() {
            let (table, column) = Level::key_of(nested);
            separate(w, first);
            w.column(table, column);
            alias(w, 'k', i);
        }
    }
    match level.columns.take() {
        Some(cols) => {
            for (i, c) in cols.into_iter().enumerate() {
                separate(w, first);
                c.write(w);
                alias(w, 'c', i);
            }
        }
        None => {
            for (i, c) in level.all_columns.iter().enumerate() {
                separate(w, first);
                w.column(level.table, c);
                alias(w, 'c', i);
            }
        }
    }
}

/// `"child"."fk"` (or the join table's column, for many-to-many): the
/// key a nested row matches in its parent level.
fn write_match_key(w: &mut SqlWriter, level: &Level) {
    let (_, table, column) = level.match_key();
    w.column(table, column);
}

/// `FROM child WHERE key IN (SELECT unnest(ARRAY(SELECT "kI" FROM "lP")))`
/// for a nested level (through the join table for many-to-many). The
/// planner takes an unnested array for a handful of keys, whatever it
/// guessed for the parent level: so it probes the child's index for each
/// key on a large table, as a batched query per level does, and hashes
/// the keys over a small one. (`= ANY(array)` probes the index as well,
/// but on a table small enough to scan it compares every row with every
/// key.)
fn write_source(
    w: &mut SqlWriter,
    level: &Level,
    parent: &Plan,
    position: usize,
    parent_id: usize,
) {
    w.push(" FROM ");
    if let Link::Through {
        join,
        join_child,
        child_key,
        ..
    } = &level.link
    {
        w.table(join.0, join.1);
        w.push(" INNER JOIN ");
        w.table(level.schema, level.table);
        w.push(" ON ");
        w.column(level.table, child_key);
        w.push(" = ");
        w.column(join.1, join_child);
    } else {
        w.table(level.schema, level.table);
    }
    w.push(" WHERE ");
    write_match_key(w, level);
    w.push(" IN (SELECT unnest(ARRAY(SELECT ");
    w.ident(&parent.layout.key_name(position));
    w.push(" FROM ");
    level_name(w, parent_id);
    w.push(")))");
}

/// `, "lN" AS (...)` for nested level `id` and, after it, its own nested
/// levels, in the order [`plan`] numbers them.
///
/// A level without a limit whose children (if any) have none of their
/// own is `NOT MATERIALIZED`: its rows are the same each time it is read
/// (the planner only inlines it if it calls nothing volatile), so the
/// planner may compute it where it is read, for the result and for each
/// child's keys, rather than store it first: 5% of a three-level load in
/// `bench/orm`. Deeper levels are stored, so no level is computed more
/// than once per child. A limited level is computed once and stored:
/// which rows tie for the last place must be the same for the result
/// and for the children.
fn write_nested(
    mut level: Level,
    plans: &[Plan],
    id: usize,
    parent: usize,
    position: usize,
    w: &mut SqlWriter,
) {
    let layout = &plans[id].layout;
    w.push(", ");
    level_name(w, id);
    let inline = level.limit.is_none() && level.nested.iter().all(|c| c.nested.is_empty());
    w.push(if inline {
        " AS NOT MATERIALIZED ("
    } else {
        " AS ("
    });
    w.push(if level.limit.is_some() {
        "SELECT * FROM (SELECT "
    } else {
        "SELECT "
    });
    let mut first = true;
    if layout.ranked {
        first = false;
        w.push("row_number() OVER (PARTITION BY ");
        write_match_key(w, &level);
        if !level.order_by.is_empty() {
            w.push(" ORDER BY ");
            write_list(std::mem::take(&mut level.order_by), w);
        }
        w.push(") AS \"o\"");
    }
    write_cells(w, &mut level, layout, &mut first);
    write_source(w, &level, &plans[parent], position, parent);
    if let Some(f) = level.filter.take() {
        w.push(" AND ");
        f.write(w);
    }
    if let Some(l) = level.limit {
        w.push(") AS \"t\" WHERE \"o\" <= ");
        w.param(Box::new(l));
    }
    w.push(")");
    for (i, nested) in level.nested.into_iter().enumerate() {
        write_nested(nested, plans, plans[id].children[i], id, i, w);
    }
}

/// Every level's rows in one result: `UNION ALL` of one arm per level,
/// each row in its level's cells and NULL in the others' (see
/// `load_tree`). The root's arm types the NULLs of every other level
/// (`UNION` takes a column's type from its first arm that has one), so
/// the later arms write bare `NULL`s.
fn write_result(w: &mut SqlWriter, plans: &[Plan]) {
    if plans.len() == 1 {
        w.push(" SELECT * FROM \"l0\"");
        return;
    }
    w.push(" SELECT \"l0\".*");
    for plan in &plans[1..] {
        for null in &plan.nulls {
            w.push(", ");
            null.write(w);
        }
    }
    w.push(" FROM \"l0\"");
    for id in 1..plans.len() {
        w.push(" UNION ALL SELECT ");
        let mut first = true;
        for (other, plan) in plans.iter().enumerate() {
            if other == id {
                separate(w, &mut first);
                level_name(w, id);
                w.push(".*");
            } else {
                for _ in 0..plan.layout.width() {
                    separate(w, &mut first);
                    w.push("NULL");
                }
            }
        }
        w.push(" FROM ");
        level_name(w, id);
    }
}

impl<T: Table, Out: FromRow> Statement for Load<T, Out> {
    type Output = Out;

    fn shape(&self) -> Shape {
        let plans = plans(&self.root);
        let mut at = 0;
        let shapes = plans
            .iter()
            .map(|plan| {
                let shape = plan.layout.shape(at, plan.children.clone());
                at += plan.layout.width();
                shape
            })
            .collect();
        Shape::Tree(shapes)
    }

    fn write(self, w: &mut SqlWriter) {
        let plans = plans(&self.root);
        let mut root = self.root;
        let layout = &plans[0].layout;
        // The root rows are chosen first (filter, order, limit) in a
        // derived table named like the table, ranked in their order.
        w.push("WITH \"l0\" AS (SELECT ");
        let mut first = true;
        let order = if root.order_by.is_empty() {
            None
        } else {
            first = false;
            w.push("row_number() OVER (ORDER BY ");
            let start = w.sql().len();
            write_list(std::mem::take(&mut root.order_by), w);
            let order = w.sql()[start..].to_string();
            w.push(") AS \"o\"");
            Some(order)
        };
        write_cells(w, &mut root, layout, &mut first);
        w.push(" FROM (SELECT * FROM ");
        w.table(root.schema, root.table);
        if let Some(f) = root.filter.take() {
            w.push(" WHERE ");
            f.write(w);
        }
        if root.limit.is_some() || self.offset.is_some() {
            if let Some(order) = &order {
                // The same terms (and `$n`) again.
                w.push(" ORDER BY ");
                w.push(order);
            }
        }
        if let Some(l) = root.limit {
            w.push(" LIMIT ");
            w.param(Box::new(l));
        }
        if let Some(o) = self.offset {
            w.push(" OFFSET ");
            w.param(Box::new(o));
        }
        w.push(") AS ");
        w.push(&ident(root.table));
        w.push(")");
        for (i, nested) in std::mem::take(&mut root.nested).into_iter().enumerate() {
            write_nested(nested, &plans, plans[0].children[i], 0, i, w);
        }
        write_result(w, &plans);
    }
}
