//! The differ: (from, to, rename hints) -> ordered, classified changes.
//!
//! Pure: it looks at two models and nothing else. Renames come only from
//! hints (never guessed). Each pass below owns one kind of object and pushes
//! its changes into a phase; [`order`] fixes the run order of the phases so
//! dependencies hold (see that module for the order and why).
//!
//! The invariant: `diff(b, b)` is empty, for every `b`.

mod columns;
mod compare;
mod constraints;
mod context;
mod functions;
mod hints;
mod indexes;
mod namespaces;
mod order;
mod renames;
mod security;
mod sequences;
mod tables;
mod text;
mod types;
mod views;

pub use hints::{RenameHint, RenameHints, RenameKind};
pub use text::{spell, spell_qualified};

use crate::change::PlannedChange;
use crate::model::Schema;
use context::Ctx;
use order::Plan;

/// Why a diff could not be computed.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum DiffError {
    /// A rename hint names an object that does not exist in the *from* schema.
    #[error("rename hint `{hint}` does not match any object in the source schema")]
    UnknownRenameTarget { hint: String },
}

/// Computes the changes that take `from` to `to`, in the order they must run.
///
/// ```
/// use strata_schema::{diff, RenameHints, Schema};
/// let s = Schema::default();
/// assert!(diff(&s, &s, &RenameHints::default()).unwrap().is_empty());
/// ```
pub fn diff(
    from: &Schema,
    to: &Schema,
    hints: &RenameHints,
) -> Result<Vec<PlannedChange>, DiffError> {
    let mut from = from.clone();
    from.normalize();
    let mut to = to.clone();
    to.normalize();
    let mut plan = Plan::default();
    renames::apply(&mut from, hints, &mut plan)?;

    let mut cx = Ctx::new(&from, &to, plan);
    namespaces::diff(&mut cx);
    tables::diff(&mut cx);
    columns::diff(&mut cx);
    // After the columns: enum rebuilds convert the surviving columns.
    types::diff(&mut cx);
    sequences::diff(&mut cx);
    tables::alter_all(&mut cx);
    constraints::diff(&mut cx);
    indexes::diff(&mut cx);
    constraints::foreign_keys(&mut cx);
    functions::diff(&mut cx);
    // Last: it reacts to every table and type touched above.
    views::diff(&mut cx);
    Ok(cx.plan.finish())
}
