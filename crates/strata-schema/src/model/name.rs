//! Qualified object names: every schema object lives in a namespace.

use serde::{Deserialize, Serialize};
use std::fmt;

/// A schema-qualified name such as `public.users`.
///
/// Names are stored exactly as PostgreSQL stores them (case preserved, no quotes);
/// quoting happens only when SQL is rendered.
///
/// ```
/// use strata_schema::QualifiedName;
/// let n = QualifiedName::new("public", "users");
/// assert_eq!(n.to_string(), "public.users");
/// ```
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct QualifiedName {
    pub schema: String,
    pub name: String,
}

impl QualifiedName {
    pub fn new(schema: impl Into<String>, name: impl Into<String>) -> Self {
        Self {
            schema: schema.into(),
            name: name.into(),
        }
    }

    /// Parses `schema.name` (or a bare `name`, taken to be in `public`).
    /// Used for command-line hints and filters, not for SQL text.
    pub fn parse(text: &str) -> Self {
        match text.split_once('.') {
            Some((schema, name)) => Self::new(schema, name),
            None => Self::new("public", text),
        }
    }
}

impl fmt::Display for QualifiedName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}.{}", self.schema, self.name)
    }
}
