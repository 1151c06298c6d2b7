//! Views and materialized views.

use super::index::Index;
use super::name::QualifiedName;
use super::privilege::Grant;
use serde::{Deserialize, Serialize};

/// `CREATE [MATERIALIZED] VIEW name [WITH (...)] AS query`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct View {
    pub name: QualifiedName,
    /// The query as the server prints it (`pg_get_viewdef`), without a trailing semicolon.
    pub definition: String,
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub materialized: bool,
    /// For materialized views: created `WITH NO DATA` and never refreshed.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub with_no_data: bool,
    /// View options, e.g. `security_barrier=true`, `check_option=local`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub with: Vec<String>,
    /// Indexes (materialized views only).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub indexes: Vec<Index>,
    /// Comments on view columns, by column name.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub column_comments: Vec<(String, String)>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub comment: Option<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub grants: Vec<Grant>,
}
