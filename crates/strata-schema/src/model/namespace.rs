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
