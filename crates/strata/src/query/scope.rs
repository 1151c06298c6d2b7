//! Which tables a query reads, at the type level, and which of them may
//! be missing from a row (outer joins).
//!
//! A query over `User` has the source `User`; each join widens it to a
//! tuple (`(User, UserRole)`, `(User, UserRole, Role)`). A table an outer
//! join may leave unmatched is wrapped in [`Nullable`]: after
//! `.left_join::<Role>()` the source is `(User, Nullable<Role>)`, after a
//! right join the tables before it are wrapped, after a full join all are.
//! An expression carries the tables its columns come from (`()` for a
//! bound value, a pair for a binary operator). `S: InScope<Q, I>` holds
//! when every table of `S` is in `Q`; the index `I` is inferred (it says
//! *where* in `Q` each table is, which keeps the impls from overlapping)
//! and never written.
//!
//! [`InScope::Null`] says whether an expression may be NULL ([`null::Maybe`])
//! or not ([`null::No`]): it is `Maybe` when the expression reads a
//! nullable table, or its source carries [`MaybeNull`] (a comparison with
//! an `Option`), unless [`NeverNull`] hides that (`count`, `IS NULL`). A
//! selection of a `Maybe` expression decodes as `Option<Kind>` (see
//! [`super::Selection`]). Filters ignore it: there NULL is just not true.

use super::cte::FromItem;
use super::row::OrNull;
use super::value::Value;
use std::marker::PhantomData;

/// A table of a query's source that an outer join may leave unmatched:
/// its columns read NULL in such rows. Written by the joins, never by hand.
pub struct Nullable<T>(PhantomData<fn() -> T>);

/// Whether a value read from the query may be NULL.
pub mod null {
    /// It is never NULL.
    pub struct No;
    /// It may be NULL: it reads a table an outer join may leave
    /// unmatched, or an `Option` column or value makes it NULL-able.
    pub struct Maybe;
}

/// [`null::No`] or [`null::Maybe`]: how a selected value decodes.
pub trait Nullability {
    /// `Maybe` if either side is.
    type Or<N: Nullability>: Nullability;
    /// A value of type `V` read under this nullability: `V`, or
    /// `Option<V::Kind>` (never `Option<Option<_>>`).
    type Wrap<V: Value>: Value;
    /// Every column of a table `T` read under this nullability: `T` or `Option<T>`.
    type WrapRow<T: OrNull>: super::row::FromRow;
    /// The source `S` of an expression whose operands make it NULL (a
    /// comparison with an `Option` column or a `None` value) or not: `S`
    /// as it is, or `S` with [`MaybeNull`] attached.
    type Tag<S>;
}

impl Nullability for null::No {
    type Or<N: Nullability> = N;
    type Wrap<V: Value> = V;
    type WrapRow<T: OrNull> = T;
    type Tag<S> = S;
}

impl Nullability for null::Maybe {
    type Or<N: Nullability> = null::Maybe;
    type Wrap<V: Value> = Option<V::Kind>;
    type WrapRow<T: OrNull> = Option<T>;
    type Tag<S> = (S, MaybeNull);
}

/// Position markers for [`Contains`]; inferred, never written by hand.
pub mod at {
    /// The query's only table.
    pub struct Only;
    /// The first, second, ... table of a joined query.
    pub struct First;
    pub struct Second;
    pub struct Third;
    pub struct Fourth;
    pub struct Fifth;
    /// A table of the enclosing query, seen from a correlated subquery.
    pub struct Outer<I>(std::marker::PhantomData<I>);
    /// A table seen through several expression leaves.
    pub struct Leaf<I>(std::marker::PhantomData<I>);
    /// The tables of an expression that is never NULL.
    pub struct NeverNull<I>(std::marker::PhantomData<I>);
}

/// The tables of a query's FROM list contain table `T`.
#[diagnostic::on_unimplemented(
    message = "table `{T}` is not part of this query",
    label = "this query does not read `{T}`",
    note = "join `{T}` first (`.inner_join::<{T}>(...)` or `.left_join::<{T}>(...)`), or use a column of a table the query reads"
)]
pub trait Contains<T, I> {
    /// Whether `T` may be missing from a row ([`null::Maybe`] when an outer
    /// join made it [`Nullable`]).
    type Null: Nullability;
}

impl<T: FromItem> Contains<T, at::Only> for T {
    type Null = null::No;
}

/// `Contains` at one position of a tuple (the bracketed one), for the
/// table as it is and as [`Nullable`]; the two never overlap, since `T`
/// is never `Nullable<T>`.
macro_rules! contains {
    ($at:ident: $($before:ident,)* [$t:ident] $(, $after:ident)*) => {
        impl<$($before,)* $t $(, $after)*> Contains<$t, at::$at> for ($($before,)* $t, $($after,)*) {
            type Null = null::No;
        }
        impl<$($before,)* $t $(, $after)*> Contains<$t, at::$at>
            for ($($before,)* Nullable<$t>, $($after,)*)
        {
            type Null = null::Maybe;
        }
    };
}

contains!(First: [A], B);
contains!(Second: A, [B]);
contains!(First: [A], B, C);
contains!(Second: A, [B], C);
contains!(Third: A, B, [C]);
contains!(First: [A], B, C, D);
contains!(Second: A, [B], C, D);
contains!(Third: A, B, [C], D);
contains!(Fourth: A, B, C, [D]);
contains!(First: [A], B, C, D, E);
contains!(Second: A, [B], C, D, E);
contains!(Third: A, B, [C], D, E);
contains!(Fourth: A, B, C, [D], E);
contains!(Fifth: A, B, C, D, [E]);

/// A correlated subquery reads its own tables and those of the query
/// around it: `Correlated<Inner, Outer>`.
pub struct Correlated<Inner, Outer>(std::marker::PhantomData<(Inner, Outer)>);

impl<T, I, O, J> Contains<T, at::Outer<J>> for Correlated<I, O>
where
    O: Contains<T, J>,
{
    type Null = O::Null;
}
impl<T, I, O, J> Contains<T, at::Leaf<J>> for Correlated<I, O>
where
    I: Contains<T, J>,
{
    type Null = I::Null;
}

/// Every table an expression uses is read by query source `Q`.
#[diagnostic::on_unimplemented(
    message = "this expression uses a table the query does not read",
    label = "an expression over `{Self}` where the query reads `{Q}`",
    note = "join the missing table first (`.inner_join::<T>(...)`), or use columns of the tables the query reads"
)]
pub trait InScope<Q, I> {
    /// [`null::Maybe`] when the expression reads a [`Nullable`] table of `Q`.
    type Null: Nullability;
}

impl<Q> InScope<Q, ()> for () {
    type Null = null::No;
}
impl<Q, T: FromItem, I> InScope<Q, at::Leaf<I>> for T
where
    Q: Contains<T, I>,
{
    type Null = Q::Null;
}
impl<Q, A, B, IA, IB> InScope<Q, (IA, IB)> for (A, B)
where
    A: InScope<Q, IA>,
    B: InScope<Q, IB>,
{
    type Null = <A::Null as Nullability>::Or<B::Null>;
}

/// `S` tagged as NULL-able when `N` is [`null::Maybe`].
pub type Tagged<S, N> = <N as Nullability>::Tag<S>;

/// Part of the source of an expression that reads no table but may be
/// NULL: a comparison with an `Option` column, a `None` value or an `IN`
/// subquery of `Option`s. In scope everywhere; it makes a selection of the
/// expression an `Option`.
pub struct MaybeNull;

impl<Q> InScope<Q, ()> for MaybeNull {
    type Null = null::Maybe;
}

/// The source of an expression that reads `S` but is never NULL, such as
/// `count(e)` or `EXISTS (...)`: in scope where `S` is, never nullable.
pub struct NeverNull<S>(PhantomData<fn() -> S>);

impl<Q, S, I> InScope<Q, at::NeverNull<I>> for NeverNull<S>
where
    S: InScope<Q, I>,
{
    type Null = null::No;
}
