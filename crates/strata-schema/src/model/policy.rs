//! Row-level security policies.

use serde::{Deserialize, Serialize};

/// `CREATE POLICY name ON table AS {PERMISSIVE|RESTRICTIVE} FOR command TO roles USING (...) WITH CHECK (...)`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Policy {
    pub name: String,
    /// `ALL`, `SELECT`, `INSERT`, `UPDATE` or `DELETE`.
    pub command: String,
    #[serde(default = "yes", skip_serializing_if = "is_yes")]
    pub permissive: bool,
    /// Role names; `public` when the policy applies to everyone.
    pub roles: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub using: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub with_check: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub comment: Option<String>,
}

fn yes() -> bool {
    true
}

fn is_yes(v: &bool) -> bool {
    *v
}
