//! PostgreSQL schemas (namespaces) and extensions.

use super::privilege::Grant;
use serde::{Deserialize, Serialize};

/// A PostgreSQL schema (`CREATE SCHEMA`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Namespace {
    pub name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub comment: Option<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub grants: Vec<Grant>,
}

impl Namespace {
    /// Whether this is the `public` schema with the grants a new database
    /// gives it: USAGE for PUBLIC from PostgreSQL 15 on, CREATE and USAGE
    /// before it. Which of the two a database has is its server's version,
    /// not the schema's intent: the differ never changes one into the other
    /// (a database on 14 would otherwise never diff empty against a schema
    /// declared in Rust or inspected on 15), and [`Schema::same_as`] takes
    /// them as equal. Any other grant on `public` is diffed as usual.
    ///
    /// [`Schema::same_as`]: crate::Schema::same_as
    pub fn has_stock_public_grants(&self) -> bool {
        if self.name != "public" {
            return false;
        }
        let mut privileges: Vec<&str> = Vec::new();
        for g in &self.grants {
            if g.grantee != "PUBLIC" || g.with_grant_option {
                return false;
            }
            privileges.push(&g.privilege);
        }
        privileges.sort_unstable();
        privileges == ["USAGE"] || privileges == ["CREATE", "USAGE"]
    }
}

/// An installed extension (`CREATE EXTENSION`). Objects that belong to an
/// extension are never part of the model: the extension owns them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Extension {
    pub name: String,
    /// Schema the extension's objects were installed into.
    pub schema: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub comment: Option<String>,
}
