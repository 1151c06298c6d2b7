//! Free-standing sequences (identity sequences belong to their column).

use super::column::SequenceOptions;
use super::name::QualifiedName;
use super::privilege::Grant;
use serde::{Deserialize, Serialize};

/// `CREATE SEQUENCE name AS type ... [OWNED BY table.column]`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Sequence {
    pub name: QualifiedName,
    /// `smallint`, `integer` or `bigint`.
    pub data_type: String,
    pub options: SequenceOptions,
    /// `OWNED BY table.column`: the sequence is dropped with the column (serial).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub owned_by: Option<OwnedBy>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub comment: Option<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub grants: Vec<Grant>,
}

/// The column a sequence belongs to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OwnedBy {
    pub table: QualifiedName,
    pub column: String,
}
