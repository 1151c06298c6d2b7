//! Which tables a query reads, at the type level.
//!
//! A query over `User` has the source `User`; each join widens it to a
//! tuple (`(User, UserRole)`, `(User, UserRole, Role)`). An expression
//! carries the tables its columns come from (`()` for a bound value, a
//! pair for a binary operator). `S: InScope<Q, I>` holds when every table
//! of `S` is in `Q`; the index `I` is inferred (it says *where* in `Q` each
//! table is, which keeps the impls from overlapping) and never written.

use super::cte::FromItem;

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
}

/// The tables of a query's FROM list contain table `T`.
#[diagnostic::on_unimplemented(
    message = "table `{T}` is not part of this query",
    label = "this query does not read `{T}`",
    note = "join `{T}` first (`.inner_join::<{T}>(...)` or `.left_join::<{T}>(...)`), or use a column of a table the query reads"
)]
pub trait Contains<T, I> {}

impl<T: FromItem> Contains<T, at::Only> for T {}
impl<A, B> Contains<A, at::First> for (A, B) {}
impl<A, B> Contains<B, at::Second> for (A, B) {}
impl<A, B, C> Contains<A, at::First> for (A, B, C) {}
impl<A, B, C> Contains<B, at::Second> for (A, B, C) {}
impl<A, B, C> Contains<C, at::Third> for (A, B, C) {}
impl<A, B, C, D> Contains<A, at::First> for (A, B, C, D) {}
impl<A, B, C, D> Contains<B, at::Second> for (A, B, C, D) {}
impl<A, B, C, D> Contains<C, at::Third> for (A, B, C, D) {}
impl<A, B, C, D> Contains<D, at::Fourth> for (A, B, C, D) {}
impl<A, B, C, D, E> Contains<A, at::First> for (A, B, C, D, E) {}
impl<A, B, C, D, E> Contains<B, at::Second> for (A, B, C, D, E) {}
impl<A, B, C, D, E> Contains<C, at::Third> for (A, B, C, D, E) {}
impl<A, B, C, D, E> Contains<D, at::Fourth> for (A, B, C, D, E) {}
impl<A, B, C, D, E> Contains<E, at::Fifth> for (A, B, C, D, E) {}

/// A correlated subquery reads its own tables and those of the query
/// around it: `Correlated<Inner, Outer>`.
pub struct Correlated<Inner, Outer>(std::marker::PhantomData<(Inner, Outer)>);

impl<T, I, O, J> Contains<T, at::Outer<J>> for Correlated<I, O> where O: Contains<T, J> {}
impl<T, I, O, J> Contains<T, at::Leaf<J>> for Correlated<I, O> where I: Contains<T, J> {}

/// Every table an expression uses is read by query source `Q`.
#[diagnostic::on_unimplemented(
    message = "this expression uses a table the query does not read",
    label = "an expression over `{Self}` where the query reads `{Q}`",
    note = "join the missing table first (`.inner_join::<T>(...)`), or use columns of the tables the query reads"
)]
pub trait InScope<Q, I> {}

impl<Q> InScope<Q, ()> for () {}
impl<Q, T: FromItem, I> InScope<Q, at::Leaf<I>> for T where Q: Contains<T, I> {}
impl<Q, A, B, IA, IB> InScope<Q, (IA, IB)> for (A, B)
where
    A: InScope<Q, IA>,
    B: InScope<Q, IB>,
{
}
