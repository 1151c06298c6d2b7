//! Indexes that are not backing a constraint.

use serde::{Deserialize, Serialize};

/// `CREATE [UNIQUE] INDEX name ON table USING method (keys) INCLUDE (...) WHERE ...`.
///
/// Index names are unique per schema, so the index lives in its table's schema.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Index {
    pub name: String,
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub unique: bool,
    /// Access method: `btree`, `hash`, `gist`, `gin`, `brin`, `spgist`, ...
    pub method: String,
    pub keys: Vec<IndexKey>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub include: Vec<String>,
    /// Partial index predicate, the server's text without `WHERE`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub predicate: Option<String>,
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub nulls_not_distinct: bool,
    /// Storage parameters, e.g. `fillfactor=70`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub with: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub comment: Option<String>,
}

/// One key of an index: a column or an expression, with its modifiers.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct IndexKey {
    /// A column name (unquoted), or an expression as the server prints it.
    pub expression: String,
    /// True when `expression` is a plain column name (it gets quoted on render).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub is_column: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub collation: Option<String>,
    /// Non-default operator class, e.g. `text_pattern_ops`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub opclass: Option<String>,
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub descending: bool,
    /// `NULLS FIRST` / `NULLS LAST` when it differs from the direction's default.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub nulls_first: Option<bool>,
}
