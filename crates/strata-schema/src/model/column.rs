//! Table columns: type, nullability, default, identity, generation, collation.

use super::privilege::Grant;
use serde::{Deserialize, Serialize};

/// A table column.
///
/// `data_type` is PostgreSQL's canonical spelling (`format_type`), with
/// user-defined types always schema-qualified: `character varying(255)`,
/// `numeric(10,2)`, `timestamp(3) with time zone`, `integer[]`, `public.mood`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Column {
    pub name: String,
    pub data_type: String,
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub not_null: bool,
    /// Default expression as the server prints it (`pg_get_expr`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub default: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub identity: Option<Identity>,
    /// Expression of a `GENERATED ALWAYS AS (...) STORED` column.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub generated: Option<String>,
    /// Explicit collation when it differs from the type's default.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub collation: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub comment: Option<String>,
    /// Column-level privileges (`GRANT SELECT (col) ON ...`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub grants: Vec<Grant>,
}

/// `GENERATED { ALWAYS | BY DEFAULT } AS IDENTITY (sequence options)`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Identity {
    pub always: bool,
    pub sequence: SequenceOptions,
}

/// Options shared by sequences and identity columns.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SequenceOptions {
    pub start: i64,
    pub increment: i64,
    pub min_value: i64,
    pub max_value: i64,
    pub cache: i64,
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub cycle: bool,
}
