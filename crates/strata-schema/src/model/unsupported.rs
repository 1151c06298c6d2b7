//! Objects the engine sees but does not model.

use serde::{Deserialize, Serialize};

/// An object that exists in a source but that Strata does not model yet
/// (e.g. an aggregate, a foreign table, an event trigger, a rule). Listed by name so
/// that a diff can say what it leaves alone instead of silently dropping it.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct Unsupported {
    /// Object kind, e.g. `aggregate`, `foreign table`, `rule`.
    pub kind: String,
    /// Qualified name or identity of the object.
    pub name: String,
}
