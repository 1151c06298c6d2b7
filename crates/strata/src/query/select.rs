//! `SELECT`: columns, joins, filters, grouping, order, limit and offset.
//!
//! `Select<Q, Out>` reads the tables `Q` (one table, or a tuple after
//! joins) and decodes each row as `Out`. Every column or expression handed
//! to it must read only tables of `Q` (checked by the compiler, see
//! [`super::scope`]); choose the columns after the joins.

use super::cte::{write_with, Cte, CteDefinition, CteKind, CteTable, FromItem, ReadOnly};
use super::expr::{write_list, IntoExpr, IntoOrder, Node};
use super::row::{FromRow, OptionalRow};
use super::scope::{Correlated, InScope, Nullability, Nullable};
use super::sql_writer::SqlWriter;
use super::statement::Statement;
use super::value::Value;
use crate::table::Table;
use std::marker::PhantomData;

/// The untyped parts of a select, in SQL order.
pub(crate) struct SelectCore {
    /// `WITH` items (CTEs) the statement defines, in order.
    pub(crate) with: Vec<CteDefinition>,
    pub(crate) distinct: Distinct,
    /// `None`: every column of the FROM table, in declaration order.
    pub(crate) columns: Option<Vec<Node>>,
    pub(crate) from: (Option<&'static str>, &'static str, &'static [&'static str]),
    pub(crate) joins: Vec<Join>,
    pub(crate) filter: Option<Node>,
    pub(crate) group_by: Vec<Node>,
    pub(crate) having: Option<Node>,
    pub(crate) order_by: Vec<Node>,
    pub(crate) limit: Option<i64>,
    pub(crate) offset: Option<i64>,
}

pub(crate) enum Distinct {
    No,
    All,
    On(Vec<Node>),
}

pub(crate) struct Join {
    kind: &'static str,
    schema: Option<&'static str>,
    table: &'static str,
    on: Node,
}

/// `cond AND more`, or `more` when there is no condition yet.
pub(crate) fn and_into(slot: &mut Option<Node>, more: Node) {
    *slot = Some(match slot.take() {
        Some(prev) => Node::Binary(Box::new(prev), " AND ", Box::new(more)),
        None => more,
    });
}

/// Writes a FROM item's name: schema-qualified for a table, bare for a CTE.
fn write_from_item(w: &mut SqlWriter, schema: Option<&str>, name: &str) {
    match schema {
        Some(schema) => w.table(schema, name),
        None => w.ident(name),
    }
}

/// Writes every column of a table, qualified.
pub(crate) fn write_all_columns(w: &mut SqlWriter, table: &'static str, columns: &[&str]) {
    for (i, c) in columns.iter().enumerate() {
        if i > 0 {
            w.push(", ");
        }
        w.column(table, c);
    }
}

impl SelectCore {
    pub(crate) fn new<T: FromItem>() -> Self {
        SelectCore {
            with: Vec::new(),
            distinct: Distinct::No,
            columns: None,
            from: (T::FROM_SCHEMA, T::FROM_NAME, T::FROM_COLUMNS),
            joins: Vec::new(),
            filter: None,
            group_by: Vec::new(),
            having: None,
            order_by: Vec::new(),
            limit: None,
            offset: None,
        }
    }

    pub(crate) fn write(mut self, w: &mut SqlWriter) {
        write_with(std::mem::take(&mut self.with), w);
        w.push("SELECT ");
        match std::mem::replace(&mut self.distinct, Distinct::No) {
            Distinct::No => {}
            Distinct::All => w.push("DISTINCT "),
            Distinct::On(on) => {
                w.push("DISTINCT ON (");
                write_list(on, w);
                w.push(") ");
            }
        }
        match self.columns.take() {
            Some(columns) => write_list(columns, w),
            None => write_all_columns(w, self.from.1, self.from.2),
        }
        w.push(" FROM ");
        write_from_item(w, self.from.0, self.from.1);
        for j in std::mem::take(&mut self.joins) {
            w.push(j.kind);
            write_from_item(w, j.schema, j.table);
            w.push(" ON ");
            j.on.write(w);
        }
        self.write_tail(w);
    }

    /// WHERE through OFFSET.
    pub(crate) fn write_tail(self, w: &mut SqlWriter) {
        if let Some(f) = self.filter {
            w.push(" WHERE ");
            f.write(w);
        }
        if !self.group_by.is_empty() {
            w.push(" GROUP BY ");
            write_list(self.group_by, w);
        }
        if let Some(h) = self.having {
            w.push(" HAVING ");
            h.write(w);
        }
        if !self.order_by.is_empty() {
            w.push(" ORDER BY ");
            write_list(self.order_by, w);
        }
        if let Some(l) = self.limit {
            w.push(" LIMIT ");
            w.param(Box::new(l));
        }
        if let Some(o) = self.offset {
            w.push(" OFFSET ");
            w.param(Box::new(o));
        }
    }
}

/// A `SELECT` over tables `Q` whose rows decode as `Out`; `K` says
/// whether it carries a data-modifying CTE ([`Modifying`](super::cte::Modifying)),
/// which only a top-level statement may: such a select runs, or feeds an
/// INSERT, but cannot be nested.
#[must_use]
pub struct Select<Q, Out, K = ReadOnly> {
    pub(crate) core: SelectCore,
    marker: PhantomData<fn() -> (Q, Out, K)>,
}

impl<Q, Out, K> Select<Q, Out, K> {
    pub(crate) fn from_core(core: SelectCore) -> Self {
        Select {
            core,
            marker: PhantomData,
        }
    }

    fn retype<Q2, Out2, K2>(self) -> Select<Q2, Out2, K2> {
        Select {
            core: self.core,
            marker: PhantomData,
        }
    }
}

/// `SELECT * FROM T` (every declared column, decoded as `T`).
pub fn select_from<T: Table>() -> Select<T, T> {
    Select {
        core: SelectCore::new::<T>(),
        marker: PhantomData,
    }
}

/// What a select may return: a column or expression (decoded as its value
/// type), [`all`] columns of a table, or a tuple of those.
///
/// Whatever reads a table an outer join may leave unmatched (a
/// [`Nullable`] table of `Q`) decodes as `Option`: a column or expression
/// of value `V` as `Option<V::Kind>` (an `Option` column stays one
/// `Option`), `all::<T>()` as `Option<T>`. Expressions that are never NULL
/// whatever they read (`count`, `EXISTS`, `IS NULL`) keep their type, and
/// `coalesce(e, fallback)` is NULL only where its fallback may be. A
/// comparison with an `Option` column or value is `Option<bool>` as well.
#[diagnostic::on_unimplemented(
    message = "`{Self}` cannot be selected from this query",
    label = "reads a table the query does not read, or is not a column or expression",
    note = "select columns or expressions of tables the query reads (join first, then `.columns(...)`), `all::<T>()`, or a tuple of those"
)]
pub trait Selection<Q, I> {
    /// What a row decodes as.
    type Output: FromRow;
    #[doc(hidden)]
    fn push_columns(self, out: &mut Vec<Node>);
}

impl<Q, I, E> Selection<Q, I> for E
where
    E: IntoExpr,
    E::Value: Value,
    E::Source: InScope<Q, I>,
{
    type Output = <<E::Source as InScope<Q, I>>::Null as Nullability>::Wrap<E::Value>;
    fn push_columns(self, out: &mut Vec<Node>) {
        out.push(self.into_node());
    }
}

/// Every column of table `T` in a joined select: `all::<Role>()`.
pub struct All<T>(PhantomData<fn() -> T>);

/// Every column of table `T`, decoded as `T`; as `Option<T>` when an outer
/// join may leave `T` unmatched (`None` when all of its cells are NULL, see
/// [`OrNull`](super::OrNull)).
pub fn all<T: Table>() -> All<T> {
    All(PhantomData)
}

impl<Q, I, T> Selection<Q, (I,)> for All<T>
where
    T: Table + FromRow + InScope<Q, I>,
{
    type Output = <<T as InScope<Q, I>>::Null as Nullability>::WrapRow<T>;
    fn push_columns(self, out: &mut Vec<Node>) {
        out.extend(
            T::COLUMN_NAMES
                .iter()
                .map(|c| Node::Column(T::TABLE_NAME, c)),
        );
    }
}

macro_rules! tuple_selection {
    ($(($name:ident, $idx:ident)),+) => {
        impl<Q, $($name, $idx),+> Selection<Q, ($($idx,)+)> for ($($name,)+)
        where
            $($name: Selection<Q, $idx>),+
        {
            type Output = ($($name::Output,)+);
            #[allow(non_snake_case)]
            fn push_columns(self, out: &mut Vec<Node>) {
                let ($($name,)+) = self;
                $($name.push_columns(out);)+
            }
        }
    };
}

tuple_selection!((A, IA));
tuple_selection!((A, IA), (B, IB));
tuple_selection!((A, IA), (B, IB), (C, IC));
tuple_selection!((A, IA), (B, IB), (C, IC), (D, ID));
tuple_selection!((A, IA), (B, IB), (C, IC), (D, ID), (E, IE));
tuple_selection!((A, IA), (B, IB), (C, IC), (D, ID), (E, IE), (F, IF));
tuple_selection!(
    (A, IA),
    (B, IB),
    (C, IC),
    (D, ID),
    (E, IE),
    (F, IF),
    (G, IG)
);
tuple_selection!(
    (A, IA),
    (B, IB),
    (C, IC),
    (D, ID),
    (E, IE),
    (F, IF),
    (G, IG),
    (H, IH)
);

/// Adds a table to a query's source: `User` + `Role` = `(User, Role)`
/// (`Role` may be [`Nullable<Role>`], for a left or full join).
pub trait JoinWith<T> {
    /// The widened source.
    type Out;
}
impl<A: FromItem, T> JoinWith<T> for A {
    type Out = (A, T);
}
impl<A, T> JoinWith<T> for Nullable<A> {
    type Out = (Nullable<A>, T);
}
impl<A, B, T> JoinWith<T> for (A, B) {
    type Out = (A, B, T);
}
impl<A, B, C, T> JoinWith<T> for (A, B, C) {
    type Out = (A, B, C, T);
}
impl<A, B, C, D, T> JoinWith<T> for (A, B, C, D) {
    type Out = (A, B, C, D, T);
}

impl<I: JoinWith<T>, O, T> JoinWith<T> for Correlated<I, O> {
    type Out = Correlated<I::Out, O>;
}

/// A query source whose tables a right or full join makes nullable: each
/// becomes [`Nullable`] (once; a nullable one stays as it is).
pub trait MakeNullable {
    /// The source with every table nullable.
    type Out;
}
impl<A: FromItem> MakeNullable for A {
    type Out = Nullable<A>;
}
impl<A> MakeNullable for Nullable<A> {
    type Out = Nullable<A>;
}
impl<A: MakeNullable, B: MakeNullable> MakeNullable for (A, B) {
    type Out = (A::Out, B::Out);
}
impl<A: MakeNullable, B: MakeNullable, C: MakeNullable> MakeNullable for (A, B, C) {
    type Out = (A::Out, B::Out, C::Out);
}
impl<A: MakeNullable, B: MakeNullable, C: MakeNullable, D: MakeNullable> MakeNullable
    for (A, B, C, D)
{
    type Out = (A::Out, B::Out, C::Out, D::Out);
}
/// Only the subquery's own tables: the enclosing query's rows are all there.
impl<I: MakeNullable, O> MakeNullable for Correlated<I, O> {
    type Out = Correlated<I::Out, O>;
}

/// The source after `Q RIGHT JOIN T`: `Q`'s tables nullable, then `T`.
pub type RightJoined<Q, T> = <<Q as MakeNullable>::Out as JoinWith<T>>::Out;
/// The source after `Q FULL JOIN T`: every table nullable.
pub type FullJoined<Q, T> = <<Q as MakeNullable>::Out as JoinWith<Nullable<T>>>::Out;

/// A join waiting for its `ON` condition: `.inner_join::<Role>().on(...)`.
/// `Q` is the source once joined (the joined table included).
#[must_use]
pub struct PendingJoin<Q, Out, K = ReadOnly> {
    core: SelectCore,
    kind: &'static str,
    schema: Option<&'static str>,
    table: &'static str,
    marker: PhantomData<fn() -> (Q, Out, K)>,
}

impl<Q, Out, K> PendingJoin<Q, Out, K> {
    /// The join condition; it may read the joined table and those before it.
    pub fn on<E, I>(mut self, cond: E) -> Select<Q, Out, K>
    where
        E: IntoExpr<Value = bool>,
        E::Source: InScope<Q, I>,
    {
        self.core.joins.push(Join {
            kind: self.kind,
            schema: self.schema,
            table: self.table,
            on: cond.into_node(),
        });
        Select::from_core(self.core)
    }
}

/// Where a subquery's tables come from: its own (`()` outside) or also an
/// enclosing query's (`Correlated`, see [`Select::correlate`]).
pub trait SubquerySource {
    /// The outer tables the subquery reads.
    type Outer;
}
impl<T: FromItem> SubquerySource for T {
    type Outer = ();
}
impl<A, B> SubquerySource for (A, B) {
    type Outer = ();
}
impl<A, B, C> SubquerySource for (A, B, C) {
    type Outer = ();
}
impl<A, B, C, D> SubquerySource for (A, B, C, D) {
    type Outer = ();
}
impl<I, O> SubquerySource for Correlated<I, O> {
    type Outer = O;
}

impl<Q, Out, K: CteKind> Select<Q, Out, K> {
    /// Chooses what each row returns: a column, an expression, `all::<T>()`
    /// or a tuple of those; rows decode as the matching Rust tuple.
    pub fn columns<S, I>(mut self, selection: S) -> Select<Q, S::Output, K>
    where
        S: Selection<Q, I>,
    {
        let mut columns = Vec::new();
        selection.push_columns(&mut columns);
        self.core.columns = Some(columns);
        self.retype()
    }

    /// Adds a condition (several are joined with AND).
    pub fn filter<E, I>(mut self, cond: E) -> Self
    where
        E: IntoExpr<Value = bool>,
        E::Source: InScope<Q, I>,
    {
        and_into(&mut self.core.filter, cond.into_node());
        self
    }

    /// `INNER JOIN T ON ...`.
    pub fn inner_join<T: Table>(self) -> PendingJoin<Q::Out, Out, K>
    where
        Q: JoinWith<T>,
    {
        self.join_kind::<T, _, _, _>(" INNER JOIN ")
    }

    /// `LEFT JOIN T ON ...`. `T` becomes [`Nullable`]: its columns select
    /// as `Option`s (see [`Selection`]).
    pub fn left_join<T: Table>(self) -> PendingJoin<Q::Out, Out, K>
    where
        Q: JoinWith<Nullable<T>>,
    {
        self.join_kind::<T, _, _, _>(" LEFT JOIN ")
    }

    /// `RIGHT JOIN T ON ...`. The tables joined so far become [`Nullable`],
    /// and so does the row type if it is still the FROM table's
    /// (`Option<T0>`); columns are best chosen after the joins.
    pub fn right_join<T: Table>(self) -> PendingJoin<RightJoined<Q, T>, Out::Out, K>
    where
        Q: MakeNullable,
        Q::Out: JoinWith<T>,
        Out: OptionalRow,
    {
        self.join_kind::<T, _, _, _>(" RIGHT JOIN ")
    }

    /// `FULL JOIN T ON ...`. Every table becomes [`Nullable`], and so does
    /// the row type chosen so far (as for [`Select::right_join`]).
    pub fn full_join<T: Table>(self) -> PendingJoin<FullJoined<Q, T>, Out::Out, K>
    where
        Q: MakeNullable,
        Q::Out: JoinWith<Nullable<T>>,
        Out: OptionalRow,
    {
        self.join_kind::<T, _, _, _>(" FULL JOIN ")
    }

    /// `WITH C AS (...) ... INNER JOIN C ON ...`: joins a CTE, whose
    /// definition the statement then carries (see [`Cte`]).
    pub fn inner_join_cte<C: CteTable, K2: CteKind>(
        self,
        cte: Cte<C, K2>,
    ) -> PendingJoin<Q::Out, Out, K::Or<K2>>
    where
        Q: JoinWith<C>,
    {
        self.join_cte(cte, " INNER JOIN ")
    }

    /// `WITH C AS (...) ... LEFT JOIN C ON ...`. `C` becomes [`Nullable`].
    pub fn left_join_cte<C: CteTable, K2: CteKind>(
        self,
        cte: Cte<C, K2>,
    ) -> PendingJoin<Q::Out, Out, K::Or<K2>>
    where
        Q: JoinWith<Nullable<C>>,
    {
        self.join_cte(cte, " LEFT JOIN ")
    }

    /// `WITH C AS (...) ... RIGHT JOIN C ON ...`. The tables joined so far
    /// become [`Nullable`].
    pub fn right_join_cte<C: CteTable, K2: CteKind>(
        self,
        cte: Cte<C, K2>,
    ) -> PendingJoin<RightJoined<Q, C>, Out::Out, K::Or<K2>>
    where
        Q: MakeNullable,
        Q::Out: JoinWith<C>,
        Out: OptionalRow,
    {
        self.join_cte(cte, " RIGHT JOIN ")
    }

    /// `WITH C AS (...) ... FULL JOIN C ON ...`. Every table becomes [`Nullable`].
    pub fn full_join_cte<C: CteTable, K2: CteKind>(
        self,
        cte: Cte<C, K2>,
    ) -> PendingJoin<FullJoined<Q, C>, Out::Out, K::Or<K2>>
    where
        Q: MakeNullable,
        Q::Out: JoinWith<Nullable<C>>,
        Out: OptionalRow,
    {
        self.join_cte(cte, " FULL JOIN ")
    }

    fn join_cte<C: FromItem, K2, Q2, O2, K3>(
        mut self,
        cte: Cte<C, K2>,
        kind: &'static str,
    ) -> PendingJoin<Q2, O2, K3> {
        self.core.with.extend(cte.definition);
        self.join_kind::<C, Q2, O2, K3>(kind)
    }

    /// The pending join to `T`, with the source, row type and CTE kind it leads to.
    fn join_kind<T: FromItem, Q2, O2, K2>(self, kind: &'static str) -> PendingJoin<Q2, O2, K2> {
        PendingJoin {
            core: self.core,
            kind,
            schema: T::FROM_SCHEMA,
            table: T::FROM_NAME,
            marker: PhantomData,
        }
    }

    /// `GROUP BY e` (call again for more terms).
    pub fn group_by<E, I>(mut self, e: E) -> Self
    where
        E: IntoExpr,
        E::Source: InScope<Q, I>,
    {
        self.core.group_by.push(e.into_node());
        self
    }

    /// `HAVING cond` (several are joined with AND).
    pub fn having<E, I>(mut self, cond: E) -> Self
    where
        E: IntoExpr<Value = bool>,
        E::Source: InScope<Q, I>,
    {
        and_into(&mut self.core.having, cond.into_node());
        self
    }

    /// `ORDER BY term` (call again for more terms): a column, an expression,
    /// or `.asc()` / `.desc()` of one.
    pub fn order_by<E, I>(mut self, term: E) -> Self
    where
        E: IntoOrder,
        E::Source: InScope<Q, I>,
    {
        self.core.order_by.push(term.into_order());
        self
    }

    /// `LIMIT n` (bound).
    pub fn limit(mut self, n: i64) -> Self {
        self.core.limit = Some(n);
        self
    }

    /// `OFFSET n` (bound).
    pub fn offset(mut self, n: i64) -> Self {
        self.core.offset = Some(n);
        self
    }

    /// `SELECT DISTINCT`.
    pub fn distinct(mut self) -> Self {
        self.core.distinct = Distinct::All;
        self
    }

    /// `SELECT DISTINCT ON (e)` (call again for more terms); order by `e` first.
    pub fn distinct_on<E, I>(mut self, e: E) -> Self
    where
        E: IntoExpr,
        E::Source: InScope<Q, I>,
    {
        let node = e.into_node();
        match &mut self.core.distinct {
            Distinct::On(list) => list.push(node),
            _ => self.core.distinct = Distinct::On(vec![node]),
        }
        self
    }

    /// Keyset pagination: the rows after `last` in the order of `key`
    /// (ascending), `ORDER BY key LIMIT page`. Unlike OFFSET, the server
    /// seeks straight to the key, so every page costs the same.
    pub fn after<Key, I>(mut self, key: Key, last: Key::Values, page: i64) -> Self
    where
        Key: KeysetKey,
        Key::Source: InScope<Q, I>,
    {
        let (cols, vals) = key.nodes(last);
        let (lhs, rhs) = if cols.len() == 1 {
            let mut c = cols;
            let mut v = vals;
            (c.remove(0), v.remove(0))
        } else {
            (Node::Row(cols.clone_columns()), Node::Row(vals))
        };
        and_into(
            &mut self.core.filter,
            Node::Binary(Box::new(lhs), " > ", Box::new(rhs)),
        );
        let (order_cols, _) = key.nodes_again();
        self.core.order_by.extend(order_cols);
        self.core.limit = Some(page);
        self
    }

    /// Lets the filters of this (sub)query read the tables of the query
    /// `O` it is nested in: `exists(UserRole::select().correlate::<User>()
    /// .filter(UserRole::USER_ID.eq(User::ID)))`.
    pub fn correlate<O>(self) -> Select<Correlated<Q, O>, Out, K> {
        self.retype()
    }
}

/// The key of keyset pagination: one column or a tuple of columns, with
/// the last row's values of the same types.
pub trait KeysetKey: Copy {
    /// The tables the key reads.
    type Source;
    /// The last seen values.
    type Values;
    #[doc(hidden)]
    fn nodes(self, values: Self::Values) -> (Vec<Node>, Vec<Node>);
    #[doc(hidden)]
    fn nodes_again(self) -> (Vec<Node>, ());
}

trait CloneColumns {
    fn clone_columns(&self) -> Vec<Node>;
}

impl CloneColumns for Vec<Node> {
    fn clone_columns(&self) -> Vec<Node> {
        self.iter()
            .filter_map(|n| match n {
                Node::Column(t, c) => Some(Node::Column(t, c)),
                _ => None,
            })
            .collect()
    }
}

impl<T: FromItem, V: Value> KeysetKey for crate::Column<T, V>
where
    V: super::expr::Operand<V::Kind, Source = ()>,
{
    type Source = T;
    type Values = V;
    fn nodes(self, v: V) -> (Vec<Node>, Vec<Node>) {
        (
            vec![Node::Column(T::FROM_NAME, self.name())],
            vec![super::expr::Operand::into_node(v)],
        )
    }
    fn nodes_again(self) -> (Vec<Node>, ()) {
        (vec![Node::Column(T::FROM_NAME, self.name())], ())
    }
}

impl<A: KeysetKey, B: KeysetKey> KeysetKey for (A, B) {
    type Source = (A::Source, B::Source);
    type Values = (A::Values, B::Values);
    fn nodes(self, (va, vb): Self::Values) -> (Vec<Node>, Vec<Node>) {
        let (mut c, mut v) = self.0.nodes(va);
        let (c2, v2) = self.1.nodes(vb);
        c.extend(c2);
        v.extend(v2);
        (c, v)
    }
    fn nodes_again(self) -> (Vec<Node>, ()) {
        let (mut c, _) = self.0.nodes_again();
        c.extend(self.1.nodes_again().0);
        (c, ())
    }
}

impl<Q, Out: FromRow, K> Statement for Select<Q, Out, K> {
    type Output = Out;
    fn write(self, w: &mut SqlWriter) {
        self.core.write(w);
    }
}
