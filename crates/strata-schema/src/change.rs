//! Changes produced by the differ, and their classification.
//!
//! PLACEHOLDER: being written.

use serde::{Deserialize, Serialize};

/// One schema change.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum Change {}

/// What applying a change risks.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Classification {}

/// A change with its classification.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PlannedChange {
    pub change: Change,
    pub classification: Classification,
}
