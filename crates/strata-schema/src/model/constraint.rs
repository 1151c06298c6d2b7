//! Table constraints: primary key, unique, foreign key, check, exclusion.

use super::name::QualifiedName;
use serde::{Deserialize, Serialize};

/// `PRIMARY KEY (columns)`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PrimaryKey {
    pub name: String,
    pub columns: Vec<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub include: Vec<String>,
    #[serde(default, skip_serializing_if = "Deferrable::is_not")]
    pub deferrable: Deferrable,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub comment: Option<String>,
}

/// `UNIQUE [NULLS NOT DISTINCT] (columns)`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct UniqueConstraint {
    pub name: String,
    pub columns: Vec<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub include: Vec<String>,
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub nulls_not_distinct: bool,
    #[serde(default, skip_serializing_if = "Deferrable::is_not")]
    pub deferrable: Deferrable,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub comment: Option<String>,
}

/// `FOREIGN KEY (columns) REFERENCES table (columns) ...`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ForeignKey {
    pub name: String,
    pub columns: Vec<String>,
    pub references: QualifiedName,
    pub referenced_columns: Vec<String>,
    #[serde(default, skip_serializing_if = "FkAction::is_default")]
    pub on_delete: FkAction,
    #[serde(default, skip_serializing_if = "FkAction::is_default")]
    pub on_update: FkAction,
    /// `MATCH FULL` (the default, `MATCH SIMPLE`, is `false`).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub match_full: bool,
    #[serde(default, skip_serializing_if = "Deferrable::is_not")]
    pub deferrable: Deferrable,
    /// Created `NOT VALID` and not validated since.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub not_valid: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub comment: Option<String>,
}

/// `CHECK (expression)`. `expression` is the server's text of the condition,
/// without the surrounding `CHECK (...)`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CheckConstraint {
    pub name: String,
    pub expression: String,
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub no_inherit: bool,
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub not_valid: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub comment: Option<String>,
}

/// `EXCLUDE USING method (...)`; `definition` is the server's text after
/// `EXCLUDE` (`pg_get_constraintdef`), e.g. `USING gist (room WITH =, during WITH &&)`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ExclusionConstraint {
    pub name: String,
    pub definition: String,
    #[serde(default, skip_serializing_if = "Deferrable::is_not")]
    pub deferrable: Deferrable,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub comment: Option<String>,
}

/// Foreign key referential action.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FkAction {
    #[default]
    NoAction,
    Restrict,
    Cascade,
    SetNull,
    SetDefault,
}

impl FkAction {
    pub fn is_default(&self) -> bool {
        *self == FkAction::NoAction
    }
    /// The SQL keywords, e.g. `SET NULL`.
    pub fn sql(&self) -> &'static str {
        match self {
            FkAction::NoAction => "NO ACTION",
            FkAction::Restrict => "RESTRICT",
            FkAction::Cascade => "CASCADE",
            FkAction::SetNull => "SET NULL",
            FkAction::SetDefault => "SET DEFAULT",
        }
    }
}

/// `[NOT] DEFERRABLE [INITIALLY DEFERRED | INITIALLY IMMEDIATE]`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Deferrable {
    #[default]
    NotDeferrable,
    InitiallyImmediate,
    InitiallyDeferred,
}

impl Deferrable {
    pub fn is_not(&self) -> bool {
        *self == Deferrable::NotDeferrable
    }
}
