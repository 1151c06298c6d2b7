//! The differ: (from, to, rename hints) -> ordered, classified changes.
//!
//! PLACEHOLDER: being written.

mod hints;

pub use hints::{RenameHint, RenameHints, RenameKind};

use crate::change::PlannedChange;
use crate::model::Schema;

/// Why a diff could not be computed.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum DiffError {
    /// A rename hint names an object that does not exist in the *from* schema.
    #[error("rename hint `{hint}` does not match any object in the source schema")]
    UnknownRenameTarget { hint: String },
}

/// Computes the changes that take `from` to `to`.
pub fn diff(
    _from: &Schema,
    _to: &Schema,
    _hints: &RenameHints,
) -> Result<Vec<PlannedChange>, DiffError> {
    Ok(Vec::new())
}
