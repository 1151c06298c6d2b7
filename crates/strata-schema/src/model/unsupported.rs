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
    /// The schema it lives in; `None` for database-wide objects (event
    /// triggers, publications). Filters select by this, not by the name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub schema: Option<String>,
    /// The table (or view) it hangs off, in `schema`, e.g. a rule's table.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub table: Option<String>,
}

impl Unsupported {
    /// An object of `kind` named `name`, placed nowhere yet.
    pub fn new(kind: impl Into<String>, name: impl Into<String>) -> Self {
        Self {
            kind: kind.into(),
            name: name.into(),
            schema: None,
            table: None,
        }
    }

    /// Placed in a schema, and on a table when `table` is given.
    pub fn in_schema(mut self, schema: impl Into<String>, table: Option<String>) -> Self {
        self.schema = Some(schema.into());
        self.table = table;
        self
    }
}
