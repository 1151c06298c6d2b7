//! Triggers, kept as the server's definition text.

use serde::{Deserialize, Serialize};

/// A trigger on a table or view. `definition` is `pg_get_triggerdef` output
/// (a complete `CREATE [CONSTRAINT] TRIGGER` statement).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Trigger {
    pub name: String,
    pub definition: String,
    /// `O` (origin, the default), `D` disabled, `R` replica, `A` always.
    #[serde(
        default = "default_enabled",
        skip_serializing_if = "is_default_enabled"
    )]
    pub enabled: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub comment: Option<String>,
}

fn default_enabled() -> String {
    "O".to_string()
}

fn is_default_enabled(v: &String) -> bool {
    v == "O"
}
