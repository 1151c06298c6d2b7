//! Typed SQL expressions: columns, bound values, operators, functions.
//!
//! An [`Expr<S, V>`] is an expression over the tables `S` (see
//! [`super::scope`]) whose value is the Rust type `V`. Comparisons take an
//! [`Operand`] of the same *kind* (`V` with `Option` removed), so comparing
//! an `i32` column with a string does not compile. Values become bound
//! parameters when the statement is written, never SQL text.

use super::cte::{FromItem, Nestable};
use super::scope::{NeverNull, Nullability, Tagged};
use super::select::SelectCore;
use super::sql_writer::SqlWriter;
use super::value::{Param, Value};
use crate::column::Column;
use crate::table::Table;
use std::marker::PhantomData;

/// The untyped expression tree; the typed layer above makes sure only
/// well-typed trees are built.
pub(crate) enum Node {
    Column(&'static str, &'static str),
    Param(Param),
    /// `(left op right)`.
    Binary(Box<Node>, &'static str, Box<Node>),
    /// `(op operand)`, e.g. `NOT`.
    Prefix(&'static str, Box<Node>),
    /// `(operand op)`, e.g. `IS NULL`.
    Postfix(Box<Node>, &'static str),
    /// `operand ASC` (no parentheses: ORDER BY terms are not expressions).
    Sorted(Box<Node>, &'static str),
    /// `name(args)suffix`; the suffix is a cast such as `::bigint`.
    Call(&'static str, Vec<Node>, &'static str),
    /// `count(*)`.
    CountStar,
    /// `left [NOT] IN (list)`.
    In(Box<Node>, bool, Vec<Node>),
    /// `left [NOT] IN (subquery)`.
    InSelect(Box<Node>, bool, Box<SelectCore>),
    /// `[NOT] EXISTS (subquery)`.
    Exists(bool, Box<SelectCore>),
    /// `(subquery)` as a scalar.
    Scalar(Box<SelectCore>),
    /// `value BETWEEN low AND high`.
    Between(Box<Node>, Box<Node>, Box<Node>),
    /// `EXCLUDED."column"` in an upsert.
    Excluded(&'static str),
    /// `(a, b, ...)`, a row value (keyset pagination).
    Row(Vec<Node>),
    /// SQL text written by the user, with expressions in between.
    Raw(Vec<RawPart>),
}

/// A piece of a raw SQL fragment.
pub(crate) enum RawPart {
    Sql(std::borrow::Cow<'static, str>),
    Node(Node),
}

impl Node {
    /// Writes the expression, moving its values into the writer's parameters.
    pub(crate) fn write(self, w: &mut SqlWriter) {
        match self {
            Node::Column(t, c) => w.column(t, c),
            Node::Param(p) => w.param(p),
            Node::Binary(l, op, r) => {
                w.push("(");
                l.write(w);
                w.push(op);
                r.write(w);
                w.push(")");
            }
            Node::Prefix(op, e) => {
                w.push("(");
                w.push(op);
                e.write(w);
                w.push(")");
            }
            Node::Postfix(e, op) => {
                w.push("(");
                e.write(w);
                w.push(op);
                w.push(")");
            }
            Node::Sorted(e, dir) => {
                e.write(w);
                w.push(dir);
            }
            Node::Call(f, args, suffix) => {
                w.push(f);
                w.push("(");
                write_list(args, w);
                w.push(")");
                w.push(suffix);
            }
            Node::CountStar => w.push("count(*)"),
            Node::In(l, negated, list) => {
                w.push("(");
                l.write(w);
                w.push(if negated { " NOT IN (" } else { " IN (" });
                write_list(list, w);
                w.push("))");
            }
            Node::InSelect(l, negated, q) => {
                w.push("(");
                l.write(w);
                w.push(if negated { " NOT IN (" } else { " IN (" });
                q.write(w);
                w.push("))");
            }
            Node::Exists(negated, q) => {
                w.push(if negated {
                    "(NOT EXISTS ("
                } else {
                    "(EXISTS ("
                });
                q.write(w);
                w.push("))");
            }
            Node::Scalar(q) => {
                w.push("(");
                q.write(w);
                w.push(")");
            }
            Node::Between(v, lo, hi) => {
                w.push("(");
                v.write(w);
                w.push(" BETWEEN ");
                lo.write(w);
                w.push(" AND ");
                hi.write(w);
                w.push(")");
            }
            Node::Excluded(c) => {
                w.push("EXCLUDED.");
                w.ident(c);
            }
            Node::Row(items) => {
                w.push("(");
                write_list(items, w);
                w.push(")");
            }
            Node::Raw(parts) => {
                for p in parts {
                    match p {
                        RawPart::Sql(s) => w.push(&s),
                        RawPart::Node(n) => n.write(w),
                    }
                }
            }
        }
    }
}

/// Writes `a, b, c`.
pub(crate) fn write_list(nodes: Vec<Node>, w: &mut SqlWriter) {
    for (i, n) in nodes.into_iter().enumerate() {
        if i > 0 {
            w.push(", ");
        }
        n.write(w);
    }
}

/// An SQL expression over tables `S` with Rust value type `V`.
#[must_use]
pub struct Expr<S, V> {
    pub(crate) node: Node,
    marker: PhantomData<fn() -> (S, V)>,
}

impl<S, V> Expr<S, V> {
    pub(crate) fn new(node: Node) -> Self {
        Self {
            node,
            marker: PhantomData,
        }
    }
}

/// Anything that is an expression: a [`Column`] or an [`Expr`].
pub trait IntoExpr {
    /// The tables the expression reads.
    type Source;
    /// Its Rust value type.
    type Value;
    /// The untyped tree.
    #[doc(hidden)]
    fn into_node(self) -> Node;
}

impl<T: FromItem, V> IntoExpr for Column<T, V> {
    type Source = T;
    type Value = V;
    fn into_node(self) -> Node {
        Node::Column(T::FROM_NAME, self.name())
    }
}

impl<S, V> IntoExpr for Expr<S, V> {
    type Source = S;
    type Value = V;
    fn into_node(self) -> Node {
        self.node
    }
}

/// What may stand on the other side of a comparison with (or be assigned
/// to) a column of kind `K`: a value of that type, another column or
/// expression of the same kind.
#[diagnostic::on_unimplemented(
    message = "`{Self}` cannot be compared with (or assigned to) a `{K}` column",
    label = "expected a value, column or expression of type `{K}`",
    note = "a column compares only with values of its own Rust type (`Option` aside): an `i32` column with an `i32`, a `String` column with a `String` or `&str`"
)]
pub trait Operand<K> {
    /// The tables it reads (`()` for a bound value).
    type Source;
    /// [`null::Maybe`](super::scope::null::Maybe) when it may be NULL by
    /// its own type (an `Option` column or value), which makes a
    /// comparison with it NULL-able.
    type Null: Nullability;
    #[doc(hidden)]
    fn into_node(self) -> Node;
}

/// Two columns (or expressions) hold the same Rust type, `Option` aside.
#[diagnostic::on_unimplemented(
    message = "a `{Self}` column or expression cannot be compared with (or assigned to) a `{K}` one",
    label = "this holds `{Self}`, the other side `{K}`",
    note = "compare columns of the same Rust type (`Option` aside), or convert one side with `sql::<T>()` (e.g. a cast)"
)]
pub trait SameKind<K> {}
impl<K> SameKind<K> for K {}

/// Text kinds, for LIKE and ILIKE.
#[diagnostic::on_unimplemented(
    message = "LIKE and ILIKE need a text column, not `{Self}`",
    label = "not a text column",
    note = "use eq/lt/gt/... for other types, or cast with `sql::<String>().expr(col).text(\"::text\").finish()`"
)]
pub trait Text {}
impl Text for String {}

impl<K, T: FromItem, W: Value> Operand<K> for Column<T, W>
where
    W::Kind: SameKind<K>,
{
    type Source = T;
    type Null = W::Null;
    fn into_node(self) -> Node {
        IntoExpr::into_node(self)
    }
}

impl<K, S, W: Value> Operand<K> for Expr<S, W>
where
    W::Kind: SameKind<K>,
{
    type Source = S;
    type Null = W::Null;
    fn into_node(self) -> Node {
        self.node
    }
}

/// The kind (value type with `Option` removed) of an expression's value.
pub type KindOf<E> = <<E as IntoExpr>::Value as Value>::Kind;

type Cond<A, B> = Expr<(A, B), bool>;

/// Whether an expression's value is an `Option` by its type.
type NullOf<E> = <<E as IntoExpr>::Value as Value>::Null;

/// `Maybe` if either is.
type Either<A, B> = <A as Nullability>::Or<B>;

/// A comparison of `L` with operand `R` of kind `K`: over both sources,
/// tagged [`MaybeNull`](super::scope::MaybeNull) when either side is an `Option` (NULL = x is NULL).
type Compare<L, R, K> = Expr<
    Tagged<
        (<L as IntoExpr>::Source, <R as Operand<K>>::Source),
        Either<NullOf<L>, <R as Operand<K>>::Null>,
    >,
    bool,
>;

/// Operators on columns and expressions. In scope through
/// `strata::query::prelude::*`.
pub trait ExprExt: IntoExpr + Sized
where
    Self::Value: Value,
{
    /// `self = other`.
    fn eq<R: Operand<KindOf<Self>>>(self, other: R) -> Compare<Self, R, KindOf<Self>> {
        binary(self.into_node(), " = ", other.into_node())
    }
    /// `self <> other`.
    fn ne<R: Operand<KindOf<Self>>>(self, other: R) -> Compare<Self, R, KindOf<Self>> {
        binary(self.into_node(), " <> ", other.into_node())
    }
    /// `self < other`.
    fn lt<R: Operand<KindOf<Self>>>(self, other: R) -> Compare<Self, R, KindOf<Self>> {
        binary(self.into_node(), " < ", other.into_node())
    }
    /// `self <= other`.
    fn lte<R: Operand<KindOf<Self>>>(self, other: R) -> Compare<Self, R, KindOf<Self>> {
        binary(self.into_node(), " <= ", other.into_node())
    }
    /// `self > other`.
    fn gt<R: Operand<KindOf<Self>>>(self, other: R) -> Compare<Self, R, KindOf<Self>> {
        binary(self.into_node(), " > ", other.into_node())
    }
    /// `self >= other`.
    fn gte<R: Operand<KindOf<Self>>>(self, other: R) -> Compare<Self, R, KindOf<Self>> {
        binary(self.into_node(), " >= ", other.into_node())
    }
    /// `self BETWEEN low AND high`.
    fn between<A, B>(
        self,
        low: A,
        high: B,
    ) -> Expr<
        Tagged<
            (Self::Source, (A::Source, B::Source)),
            Either<NullOf<Self>, Either<A::Null, B::Null>>,
        >,
        bool,
    >
    where
        A: Operand<KindOf<Self>>,
        B: Operand<KindOf<Self>>,
    {
        Expr::new(Node::Between(
            Box::new(self.into_node()),
            Box::new(low.into_node()),
            Box::new(high.into_node()),
        ))
    }
    /// `self = ANY($1)`: the values bound as ONE array parameter, so lists
    /// of every length share one prepared statement (`in_list` writes a
    /// new statement for each length). For kinds with an array type
    /// (`Vec<i32>`, `Vec<String>`, ...); an empty array matches no row.
    ///
    /// ```
    /// use strata::query::prelude::*;
    /// use strata_example_school::User;
    /// let (sql, _) = User::select().filter(User::ID.eq_any(vec![1, 2, 3])).build();
    /// assert!(sql.ends_with("WHERE (\"users\".\"id\" = ANY($1))"));
    /// ```
    fn eq_any<R>(self, values: R) -> Expr<Tagged<Self::Source, Either<NullOf<Self>, R::Null>>, bool>
    where
        R: Operand<Vec<KindOf<Self>>, Source = ()>,
    {
        binary(
            self.into_node(),
            " = ",
            Node::Call("ANY", vec![values.into_node()], ""),
        )
    }
    /// `self IN (values...)`; an empty list is `false`.
    fn in_list<R, I>(
        self,
        values: I,
    ) -> Expr<Tagged<Self::Source, Either<NullOf<Self>, R::Null>>, bool>
    where
        I: IntoIterator<Item = R>,
        R: Operand<KindOf<Self>, Source = ()>,
    {
        in_list(self.into_node(), false, values)
    }
    /// `self NOT IN (values...)`; an empty list is `true`.
    fn not_in_list<R, I>(
        self,
        values: I,
    ) -> Expr<Tagged<Self::Source, Either<NullOf<Self>, R::Null>>, bool>
    where
        I: IntoIterator<Item = R>,
        R: Operand<KindOf<Self>, Source = ()>,
    {
        in_list(self.into_node(), true, values)
    }
    /// `self IN (subquery)`; the subquery selects one column of this kind.
    fn in_select<Q, W, K: Nestable>(
        self,
        sub: super::Select<Q, W, K>,
    ) -> Expr<Tagged<Self::Source, Either<NullOf<Self>, W::Null>>, bool>
    where
        W: Value<Kind = KindOf<Self>>,
    {
        Expr::new(Node::InSelect(
            Box::new(self.into_node()),
            false,
            Box::new(sub.core),
        ))
    }
    /// `self NOT IN (subquery)`.
    fn not_in_select<Q, W, K: Nestable>(
        self,
        sub: super::Select<Q, W, K>,
    ) -> Expr<Tagged<Self::Source, Either<NullOf<Self>, W::Null>>, bool>
    where
        W: Value<Kind = KindOf<Self>>,
    {
        Expr::new(Node::InSelect(
            Box::new(self.into_node()),
            true,
            Box::new(sub.core),
        ))
    }
    /// `self IS NULL` (never NULL itself).
    fn is_null(self) -> Expr<NeverNull<Self::Source>, bool> {
        Expr::new(Node::Postfix(Box::new(self.into_node()), " IS NULL"))
    }
    /// `self IS NOT NULL` (never NULL itself).
    fn is_not_null(self) -> Expr<NeverNull<Self::Source>, bool> {
        Expr::new(Node::Postfix(Box::new(self.into_node()), " IS NOT NULL"))
    }
    /// `self LIKE pattern` (text columns).
    fn like<R: Operand<String>>(self, pattern: R) -> Compare<Self, R, String>
    where
        KindOf<Self>: Text,
    {
        binary(self.into_node(), " LIKE ", pattern.into_node())
    }
    /// `self NOT LIKE pattern`.
    fn not_like<R: Operand<String>>(self, pattern: R) -> Compare<Self, R, String>
    where
        KindOf<Self>: Text,
    {
        binary(self.into_node(), " NOT LIKE ", pattern.into_node())
    }
    /// `self ILIKE pattern` (case-insensitive).
    fn ilike<R: Operand<String>>(self, pattern: R) -> Compare<Self, R, String>
    where
        KindOf<Self>: Text,
    {
        binary(self.into_node(), " ILIKE ", pattern.into_node())
    }
    /// `self AND other` (conditions).
    fn and<R>(self, other: R) -> Cond<Self::Source, R::Source>
    where
        Self: IntoExpr<Value = bool>,
        R: IntoExpr<Value = bool>,
    {
        binary(self.into_node(), " AND ", other.into_node())
    }
    /// `self OR other` (conditions).
    fn or<R>(self, other: R) -> Cond<Self::Source, R::Source>
    where
        Self: IntoExpr<Value = bool>,
        R: IntoExpr<Value = bool>,
    {
        binary(self.into_node(), " OR ", other.into_node())
    }
    /// `self + other` (numbers).
    fn add<R: Operand<KindOf<Self>>>(
        self,
        other: R,
    ) -> Expr<Tagged<(Self::Source, R::Source), R::Null>, Self::Value>
    where
        KindOf<Self>: Numeric,
    {
        Expr::new(Node::Binary(
            Box::new(self.into_node()),
            " + ",
            Box::new(other.into_node()),
        ))
    }
    /// `self - other` (numbers).
    fn sub<R: Operand<KindOf<Self>>>(
        self,
        other: R,
    ) -> Expr<Tagged<(Self::Source, R::Source), R::Null>, Self::Value>
    where
        KindOf<Self>: Numeric,
    {
        Expr::new(Node::Binary(
            Box::new(self.into_node()),
            " - ",
            Box::new(other.into_node()),
        ))
    }
    /// The same expression read as `Option`. A selection does this by
    /// itself for the columns of an outer-joined table; this is for other
    /// places that may be NULL (and for queries written before it did).
    fn nullable(self) -> Expr<Self::Source, Option<KindOf<Self>>> {
        Expr::new(self.into_node())
    }
    /// Ascending order, NULLs last (PostgreSQL's default).
    fn asc(self) -> Order<Self::Source> {
        Order::new(self.into_node(), " ASC")
    }
    /// Descending order, NULLs first (PostgreSQL's default).
    fn desc(self) -> Order<Self::Source> {
        Order::new(self.into_node(), " DESC")
    }
    /// Ascending order with NULLs first.
    fn asc_nulls_first(self) -> Order<Self::Source> {
        Order::new(self.into_node(), " ASC NULLS FIRST")
    }
    /// Descending order with NULLs last.
    fn desc_nulls_last(self) -> Order<Self::Source> {
        Order::new(self.into_node(), " DESC NULLS LAST")
    }
}

impl<E: IntoExpr> ExprExt for E where E::Value: Value {}

fn binary<S, V>(l: Node, op: &'static str, r: Node) -> Expr<S, V> {
    Expr::new(Node::Binary(Box::new(l), op, Box::new(r)))
}

fn in_list<S, K, R, I>(left: Node, negated: bool, values: I) -> Expr<S, bool>
where
    I: IntoIterator<Item = R>,
    R: Operand<K>,
{
    let list: Vec<Node> = values.into_iter().map(Operand::into_node).collect();
    if list.is_empty() {
        // `x IN ()` is a syntax error; the empty set's answer is constant.
        let text = if negated { "true" } else { "false" };
        return Expr::new(Node::Raw(vec![RawPart::Sql(text.into())]));
    }
    Expr::new(Node::In(Box::new(left), negated, list))
}

/// Number kinds (for `+`, `-`, `sum`, `avg`).
pub trait Numeric {
    /// The Rust type `sum` of this kind decodes as.
    type Sum: Value;
    /// The SQL cast that makes the server's `sum` that type.
    const SUM_CAST: &'static str;
}
impl Numeric for i16 {
    type Sum = i64;
    const SUM_CAST: &'static str = "::bigint";
}
impl Numeric for i32 {
    type Sum = i64;
    const SUM_CAST: &'static str = "::bigint";
}
impl Numeric for i64 {
    type Sum = i64;
    const SUM_CAST: &'static str = "::bigint";
}
impl Numeric for f32 {
    type Sum = f64;
    const SUM_CAST: &'static str = "::double precision";
}
impl Numeric for f64 {
    type Sum = f64;
    const SUM_CAST: &'static str = "::double precision";
}

/// An ORDER BY term over tables `S`.
#[must_use]
pub struct Order<S> {
    pub(crate) node: Node,
    marker: PhantomData<fn() -> S>,
}

impl<S> Order<S> {
    fn new(e: Node, dir: &'static str) -> Self {
        Order {
            node: Node::Sorted(Box::new(e), dir),
            marker: PhantomData,
        }
    }
}

/// Something ORDER BY accepts: a column or expression (ascending) or an [`Order`].
pub trait IntoOrder {
    /// The tables it reads.
    type Source;
    #[doc(hidden)]
    fn into_order(self) -> Node;
}

impl<S> IntoOrder for Order<S> {
    type Source = S;
    fn into_order(self) -> Node {
        self.node
    }
}

impl<T: FromItem, V> IntoOrder for Column<T, V> {
    type Source = T;
    fn into_order(self) -> Node {
        IntoExpr::into_node(self)
    }
}

impl<S, V> IntoOrder for Expr<S, V> {
    type Source = S;
    fn into_order(self) -> Node {
        self.node
    }
}

/// `NOT cond`.
pub fn not<E: IntoExpr<Value = bool>>(cond: E) -> Expr<E::Source, bool> {
    Expr::new(Node::Prefix("NOT ", Box::new(cond.into_node())))
}

/// `a AND b`.
pub fn and<A, B>(a: A, b: B) -> Expr<(A::Source, B::Source), bool>
where
    A: IntoExpr<Value = bool>,
    B: IntoExpr<Value = bool>,
{
    binary(a.into_node(), " AND ", b.into_node())
}

/// `a OR b`.
pub fn or<A, B>(a: A, b: B) -> Expr<(A::Source, B::Source), bool>
where
    A: IntoExpr<Value = bool>,
    B: IntoExpr<Value = bool>,
{
    binary(a.into_node(), " OR ", b.into_node())
}

/// `count(*)`.
pub fn count() -> Expr<(), i64> {
    Expr::new(Node::CountStar)
}

/// `count(e)`: the rows where `e` is not NULL (0, never NULL, over none).
pub fn count_of<E: IntoExpr>(e: E) -> Expr<NeverNull<E::Source>, i64> {
    Expr::new(Node::Call("count", vec![e.into_node()], ""))
}

/// `count(DISTINCT e)` (never NULL).
pub fn count_distinct<E: IntoExpr>(e: E) -> Expr<NeverNull<E::Source>, i64> {
    Expr::new(Node::Raw(vec![
        RawPart::Sql("count(DISTINCT ".into()),
        RawPart::Node(e.into_node()),
        RawPart::Sql(")".into()),
    ]))
}

/// `sum(e)`, NULL (None) over no rows; integers sum to `i64`, floats to `f64`.
pub fn sum<E>(e: E) -> Expr<E::Source, Option<<KindOf<E> as Numeric>::Sum>>
where
    E: IntoExpr,
    E::Value: Value,
    KindOf<E>: Numeric,
{
    Expr::new(Node::Call(
        "sum",
        vec![e.into_node()],
        <KindOf<E> as Numeric>::SUM_CAST,
    ))
}

/// `avg(e)` as `double precision`, NULL (None) over no rows.
pub fn avg<E>(e: E) -> Expr<E::Source, Option<f64>>
where
    E: IntoExpr,
    E::Value: Value,
    KindOf<E>: Numeric,
{
    Expr::new(Node::Call("avg", vec![e.into_node()], "::double precision"))
}

/// `min(e)`, NULL (None) over no rows.
pub fn min<E>(e: E) -> Expr<E::Source, Option<KindOf<E>>>
where
    E: IntoExpr,
    E::Value: Value,
{
    Expr::new(Node::Call("min", vec![e.into_node()], ""))
}

/// `max(e)`, NULL (None) over no rows.
pub fn max<E>(e: E) -> Expr<E::Source, Option<KindOf<E>>>
where
    E: IntoExpr,
    E::Value: Value,
{
    Expr::new(Node::Call("max", vec![e.into_node()], ""))
}

/// `coalesce(e, fallback)`: the value with NULL replaced. Selected, it may
/// be NULL only where the fallback may: reading a nullable table in `e`
/// does not make it `Option`; a fallback that reads one, or is an `Option`
/// (column or value), does.
pub fn coalesce<E, R>(
    e: E,
    fallback: R,
) -> Expr<Tagged<(NeverNull<E::Source>, R::Source), R::Null>, KindOf<E>>
where
    E: IntoExpr,
    E::Value: Value,
    R: Operand<KindOf<E>>,
{
    Expr::new(Node::Call(
        "coalesce",
        vec![e.into_node(), fallback.into_node()],
        "",
    ))
}

/// `EXCLUDED.column` in `ON CONFLICT ... DO UPDATE`: the row that was not inserted.
pub fn excluded<T: Table, V>(column: Column<T, V>) -> Expr<(), V> {
    Expr::new(Node::Excluded(column.name()))
}

/// `EXISTS (subquery)`. For a correlated subquery (one that reads the outer
/// query's tables) build it with `.correlate::<Outer>()`.
pub fn exists<Q: super::select::SubquerySource, O, K: Nestable>(
    sub: super::Select<Q, O, K>,
) -> Expr<NeverNull<Q::Outer>, bool> {
    Expr::new(Node::Exists(false, Box::new(sub.core)))
}

/// `NOT EXISTS (subquery)`.
pub fn not_exists<Q: super::select::SubquerySource, O, K: Nestable>(
    sub: super::Select<Q, O, K>,
) -> Expr<NeverNull<Q::Outer>, bool> {
    Expr::new(Node::Exists(true, Box::new(sub.core)))
}

/// A one-column subquery as a scalar value (NULL when it finds no row).
pub fn scalar<Q: super::select::SubquerySource, V: Value, K: Nestable>(
    sub: super::Select<Q, V, K>,
) -> Expr<Q::Outer, Option<V::Kind>> {
    Expr::new(Node::Scalar(Box::new(sub.core)))
}

/// A typed SQL fragment: text with expressions and bound values in
/// between, for what the builder does not cover.
///
/// ```no_run
/// use strata::query::prelude::*;
/// use strata_example_school::{Student, StudentStatus, User};
/// let full_name = sql::<Option<String>>()
///     .expr(User::FIRST_NAME).text(" || ' ' || ").expr(User::LAST_NAME)
///     .finish();
/// let active = sql::<bool>().expr(Student::STATUS).text(" = ").bind(StudentStatus::Active).finish();
/// # let _ = (full_name, active);
/// ```
#[must_use]
pub struct Fragment<S, V> {
    parts: Vec<RawPart>,
    marker: PhantomData<fn() -> (S, V)>,
}

/// Starts a typed SQL fragment whose value is `V` (say which with a
/// turbofish: `sql::<Option<String>>()`).
pub fn sql<V: Value>() -> Fragment<(), V> {
    Fragment {
        parts: Vec::new(),
        marker: PhantomData,
    }
}

impl<S, V> Fragment<S, V> {
    /// Appends SQL text. It must hold no values: bind those with [`Fragment::bind`].
    pub fn text(mut self, sql: &'static str) -> Self {
        self.parts.push(RawPart::Sql(sql.into()));
        self
    }
    /// Appends a column or expression. If it is an `Option` (or reads an
    /// outer-joined table), a selection of the fragment is an `Option` too,
    /// since it may then be NULL. That over-approximates a fragment that
    /// maps NULL to a value (`... IS NULL`); filters are not affected.
    pub fn expr<E>(self, e: E) -> Fragment<(S, Tagged<E::Source, NullOf<E>>), V>
    where
        E: IntoExpr,
        E::Value: Value,
    {
        let mut parts = self.parts;
        parts.push(RawPart::Node(e.into_node()));
        Fragment {
            parts,
            marker: PhantomData,
        }
    }
    /// Appends a bound value (`$n`); an `Option` makes the fragment select
    /// as `Option`.
    pub fn bind<X: Value>(self, value: X) -> Fragment<Tagged<S, X::Null>, V> {
        let mut parts = self.parts;
        parts.push(RawPart::Node(Node::Param(value.into_param())));
        Fragment {
            parts,
            marker: PhantomData,
        }
    }
    /// The fragment as an expression.
    pub fn finish(self) -> Expr<S, V> {
        Expr::new(Node::Raw(self.parts))
    }
}
