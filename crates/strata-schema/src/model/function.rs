//! Functions and procedures, kept as the server's definition text.

use super::name::QualifiedName;
use super::privilege::Grant;
use serde::{Deserialize, Serialize};

/// A function or procedure. Identified by name and argument types, since
/// PostgreSQL allows overloading.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Function {
    pub name: QualifiedName,
    /// Identity arguments (`pg_get_function_identity_arguments`), e.g. `a integer, b text`.
    pub arguments: String,
    /// `function` or `procedure` (aggregates and window functions are reported as unsupported).
    pub kind: String,
    /// Complete `CREATE OR REPLACE FUNCTION` statement (`pg_get_functiondef`).
    pub definition: String,
    /// Result type text (`pg_get_function_result`); a change here needs drop + create.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub returns: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub comment: Option<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub grants: Vec<Grant>,
}
