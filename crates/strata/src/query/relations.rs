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
//! tree is one statement: every related level is a `LEFT JOIN LATERAL`
//! subquery that aggregates its rows with `array_agg(ROW(...))`, nested
//! levels inside their parent's subquery. Rows come back in PostgreSQL's
//! binary format and decode with the same code as top-level cells
//! ([`super::Records`]): no per-level round trips, no JSON text.
//!
//! Limitation: a relation from a table to itself (a tree) is not
//! supported yet (the inner level would shadow its parent's name).

use super::cells::{Cells, Records};
use super::error::QueryError;
use super::expr::{write_list, IntoExpr, IntoOrder, Node, SameKind};
use super::row::FromRow;
use super::scope::InScope;
use super::select::{and_into, write_all_columns, Selection};
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

fn records<C: Cells, X: FromRow>(row: &C, at: &mut usize) -> Result<Vec<X>, QueryError> {
    let recs: Records<'_> = row.cell(*at)?;
    *at += 1;
    recs.0
        .iter()
        .map(|r| {
            let mut i = 0;
            X::from_row(r, &mut i)
        })
        .collect()
}

impl<X: FromRow> FromRow for Many<X> {
    fn from_row<C: Cells>(row: &C, at: &mut usize) -> Result<Self, QueryError> {
        records(row, at).map(Many)
    }
}

impl<X: FromRow> FromRow for One<X> {
    fn from_row<C: Cells>(row: &C, at: &mut usize) -> Result<Self, QueryError> {
        let mut rows = records(row, at)?;
        Ok(One(if rows.is_empty() {
            None
        } else {
            Some(rows.swap_remove(0))
        }))
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

/// Writes `ORDER BY terms` and returns the text, so the same terms (same
/// `$n`) can be written again.
fn write_order(w: &mut SqlWriter, terms: Vec<Node>) -> String {
    let start = w.sql().len();
    write_list(terms, w);
    w.sql()[start..].to_string()
}

/// Writes the column list of a level: its columns, then each nested level's
/// aggregate, with `AS "cN"` when `aliased`.
fn write_columns(
    w: &mut SqlWriter,
    table: &'static str,
    all: &'static [&'static str],
    columns: Option<Vec<Node>>,
    nested: &[usize],
    aliased: bool,
) -> usize {
    let mut n = 0;
    let sep = |w: &mut SqlWriter, n: &mut usize| {
        if *n > 0 {
            w.push(", ");
        }
    };
    let alias = |w: &mut SqlWriter, n: &mut usize| {
        if aliased {
            w.push(" AS ");
            w.ident(&format!("c{n}"));
        }
        *n += 1;
    };
    match columns {
        Some(cols) => {
            for c in cols {
                sep(w, &mut n);
                c.write(w);
                alias(w, &mut n);
            }
        }
        None => {
            if aliased {
                for c in all {
                    sep(w, &mut n);
                    w.column(table, c);
                    alias(w, &mut n);
                }
            } else {
                write_all_columns(w, table, all);
                n = all.len();
            }
        }
    }
    for r in nested {
        sep(w, &mut n);
        w.ident(&format!("r{r}"));
        w.push(".\"d\"");
        alias(w, &mut n);
    }
    n
}

/// ` LEFT JOIN LATERAL (... array_agg(ROW(...)) ...) AS "rK" ON true`.
fn write_level(level: Level, alias: usize, w: &mut SqlWriter, next: &mut usize) {
    let nested: Vec<usize> = level
        .nested
        .iter()
        .map(|_| {
            *next += 1;
            *next
        })
        .collect();
    let width = level
        .columns
        .as_ref()
        .map_or(level.all_columns.len(), Vec::len)
        + nested.len();
    w.push(" LEFT JOIN LATERAL (SELECT array_agg(ROW(");
    for i in 0..width {
        if i > 0 {
            w.push(", ");
        }
        w.push("\"t\".");
        w.ident(&format!("c{i}"));
    }
    w.push(") ORDER BY \"t\".\"o\") AS \"d\" FROM (SELECT ");
    write_columns(
        w,
        level.table,
        level.all_columns,
        level.columns,
        &nested,
        true,
    );
    w.push(", row_number() OVER (");
    let order = if level.order_by.is_empty() {
        None
    } else {
        w.push("ORDER BY ");
        Some(write_order(w, level.order_by))
    };
    w.push(") AS \"o\" FROM ");
    w.table(level.schema, level.table);
    let condition = match level.link {
        Link::Direct { parent, child } => (parent, (level.table, child)),
        Link::Through {
            parent,
            join,
            join_parent,
            join_child,
            child_key,
        } => {
            w.push(" INNER JOIN ");
            w.table(join.0, join.1);
            w.push(" ON ");
            w.column(join.1, join_child);
            w.push(" = ");
            w.column(level.table, child_key);
            (parent, (join.1, join_parent))
        }
    };
    for (l, a) in level.nested.into_iter().zip(&nested) {
        write_level(l, *a, w, next);
    }
    w.push(" WHERE ");
    w.column(condition.1 .0, condition.1 .1);
    w.push(" = ");
    w.column(condition.0 .0, condition.0 .1);
    if let Some(f) = level.filter {
        w.push(" AND ");
        f.write(w);
    }
    if let Some(l) = level.limit {
        if let Some(order) = &order {
            w.push(" ORDER BY ");
            w.push(order);
        }
        w.push(" LIMIT ");
        w.param(Box::new(l));
    }
    w.push(") AS \"t\") AS ");
    w.ident(&format!("r{alias}"));
    w.push(" ON true");
}

impl<T: Table, Out: FromRow> Statement for Load<T, Out> {
    type Output = Out;
    fn write(self, w: &mut SqlWriter) {
        let root = self.root;
        let mut next = 0;
        let nested: Vec<usize> = root
            .nested
            .iter()
            .map(|_| {
                next += 1;
                next
            })
            .collect();
        w.push("SELECT ");
        write_columns(
            w,
            root.table,
            root.all_columns,
            root.columns,
            &nested,
            false,
        );
        // The root rows are chosen first (filter, order, limit) in a
        // derived table named like the table, so related levels are
        // computed for the chosen rows only.
        w.push(" FROM (SELECT * FROM ");
        w.table(root.schema, root.table);
        if let Some(f) = root.filter {
            w.push(" WHERE ");
            f.write(w);
        }
        let order = if root.order_by.is_empty() {
            None
        } else {
            w.push(" ORDER BY ");
            Some(write_order(w, root.order_by))
        };
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
        for (l, a) in root.nested.into_iter().zip(&nested) {
            write_level(l, *a, w, &mut next);
        }
        if let Some(order) = order {
            w.push(" ORDER BY ");
            w.push(&order);
        }
    }
}
