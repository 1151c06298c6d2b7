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
//! The levels come back as one result, joined on false so that each row
//! holds one level's columns (typed, NULL elsewhere); [`super::load_tree`]
//! groups them by key and decodes them with the same code as top-level
//! cells. No per-level round trip, no JSON or text detour.
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
        related
            .map(|r| X::from_row(&r, &mut 0))
            .collect::<Result<_, _>>()
            .map(Many)
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

/// Writes `, name AS "prefixN"`.
fn alias(w: &mut SqlWriter, prefix: char, n: usize) {
    w.push(" AS ");
    w.ident(&format!("{prefix}{n}"));
}

impl Level {
    /// Whether a nested level's rows carry a rank among their siblings
    /// (`row_number() OVER (PARTITION BY ...)`): when ordered or limited.
    fn ranked(&self) -> bool {
        !self.order_by.is_empty() || self.limit.is_some()
    }
}

/// How many columns a level's rows have.
fn width(level: &Level) -> usize {
    level
        .columns
        .as_ref()
        .map_or(level.all_columns.len(), Vec::len)
}

/// Writes what every level's CTE selects after `p` and `o`: the key each
/// nested level matches (`"k0"`, `"k1"`, ...), then the row's columns
/// (`"c0"`, `"c1"`, ...).
fn write_keys_and_columns(w: &mut SqlWriter, level: &mut Level) {
    for (i, nested) in level.nested.iter().enumerate() {
        let (table, column) = match &nested.link {
            Link::Direct { parent, .. } | Link::Through { parent, .. } => *parent,
        };
        w.push(", ");
        w.column(table, column);
        alias(w, 'k', i);
    }
    match level.columns.take() {
        Some(cols) => {
            for (i, c) in cols.into_iter().enumerate() {
                w.push(", ");
                c.write(w);
                alias(w, 'c', i);
            }
        }
        None => {
            for (i, c) in level.all_columns.iter().enumerate() {
                w.push(", ");
                w.column(level.table, c);
                alias(w, 'c', i);
            }
        }
    }
}

/// `"child"."fk"` (or the join table's column, for many-to-many): the
/// key a nested row matches in its parent level.
fn write_match_key(w: &mut SqlWriter, level: &Level) {
    match &level.link {
        Link::Direct { child, .. } => w.column(level.table, child),
        Link::Through {
            join, join_parent, ..
        } => w.column(join.1, join_parent),
    }
}

/// `FROM child WHERE key IN (SELECT unnest(ARRAY(SELECT "kI" FROM "lP")))`
/// for a nested level (through the join table for many-to-many). The
/// planner takes an unnested array for a handful of keys, whatever it
/// guessed for the parent level: so it probes the child's index for each
/// key on a large table, as a batched query per level does, and hashes
/// the keys over a small one. (`= ANY(array)` probes the index as well,
/// but on a table small enough to scan it compares every row with every
/// key.)
fn write_source(w: &mut SqlWriter, level: &Level, parent: usize, position: usize) {
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
    w.ident(&format!("k{position}"));
    w.push(" FROM ");
    level_name(w, parent);
    w.push(")))");
}

/// `, "lN" AS (...)` for a nested level and, after it, its own nested
/// levels, numbered in declaration order (as [`push_shapes`] does).
fn write_nested(
    mut level: Level,
    parent: usize,
    position: usize,
    w: &mut SqlWriter,
    next: &mut usize,
) {
    *next += 1;
    let id = *next;
    w.push(", ");
    level_name(w, id);
    w.push(" AS (SELECT ");
    if level.limit.is_some() {
        w.push("* FROM (SELECT ");
    }
    if !level.ranked() {
        w.push("0::int8");
    } else {
        w.push("row_number() OVER (PARTITION BY ");
        write_match_key(w, &level);
        if !level.order_by.is_empty() {
            w.push(" ORDER BY ");
            write_list(std::mem::take(&mut level.order_by), w);
        }
        w.push(")");
    }
    w.push(" AS \"o\", ");
    write_match_key(w, &level);
    w.push(" AS \"p\"");
    write_keys_and_columns(w, &mut level);
    write_source(w, &level, parent, position);
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
        write_nested(nested, id, i, w, next);
    }
}

/// The shape of the levels under (and including) `level`, numbered as
/// [`write_nested`] numbers them; `at` is where the level's cells start.
fn push_shapes(level: &Level, nested: bool, at: &mut usize, shapes: &mut Vec<LevelShape>) {
    let me = shapes.len();
    let shape = LevelShape {
        children: Vec::new(),
        // The root's rank is its ORDER BY alone (its limit is applied
        // before ranking); a nested level ranks when ordered or limited.
        ordered: if nested {
            level.ranked()
        } else {
            !level.order_by.is_empty()
        },
        nested,
        at: *at,
        columns: width(level),
    };
    *at = shape.keys_at() + level.nested.len() + shape.columns;
    shapes.push(shape);
    for child in &level.nested {
        let id = shapes.len();
        shapes[me].children.push(id);
        push_shapes(child, true, at, shapes);
    }
}

impl<T: Table, Out: FromRow> Statement for Load<T, Out> {
    type Output = Out;

    fn shape(&self) -> Shape {
        let mut shapes = Vec::new();
        push_shapes(&self.root, false, &mut 0, &mut shapes);
        Shape::Tree(shapes)
    }

    fn write(self, w: &mut SqlWriter) {
        let mut root = self.root;
        // The root rows are chosen first (filter, order, limit) in a
        // derived table named like the table, ranked in their order.
        w.push("WITH \"l0\" AS (SELECT ");
        let order = if root.order_by.is_empty() {
            w.push("0::int8");
            None
        } else {
            w.push("row_number() OVER (ORDER BY ");
            let start = w.sql().len();
            write_list(std::mem::take(&mut root.order_by), w);
            let order = w.sql()[start..].to_string();
            w.push(")");
            Some(order)
        };
        w.push(" AS \"o\"");
        write_keys_and_columns(w, &mut root);
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
        let mut next = 0;
        for (i, nested) in std::mem::take(&mut root.nested).into_iter().enumerate() {
            write_nested(nested, 0, i, w, &mut next);
        }
        // Every level's rows in one result, each row in its level's
        // columns and NULL in the others (see `load_tree`): joining the
        // levels on false keeps each column's type, needs no per-row
        // record, and costs the server nothing to match.
        w.push(" SELECT * FROM \"l0\"");
        for id in 1..=next {
            w.push(" FULL JOIN ");
            level_name(w, id);
            w.push(" ON false");
        }
    }
}
