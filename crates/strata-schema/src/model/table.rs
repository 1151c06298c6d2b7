//! Tables with their columns, constraints, indexes, triggers and policies.

use super::column::Column;
use super::constraint::{
    CheckConstraint, ExclusionConstraint, ForeignKey, PrimaryKey, UniqueConstraint,
};
use super::index::Index;
use super::name::QualifiedName;
use super::policy::Policy;
use super::privilege::Grant;
use super::trigger::Trigger;
use serde::{Deserialize, Serialize};

/// A table. Column order is kept as declared, but it is not significant to the
/// differ: PostgreSQL cannot reorder columns without rebuilding the table.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Table {
    pub name: QualifiedName,
    pub columns: Vec<Column>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub primary_key: Option<PrimaryKey>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub uniques: Vec<UniqueConstraint>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub foreign_keys: Vec<ForeignKey>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub checks: Vec<CheckConstraint>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub exclusions: Vec<ExclusionConstraint>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub indexes: Vec<Index>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub triggers: Vec<Trigger>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub policies: Vec<Policy>,
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub rls_enabled: bool,
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub rls_forced: bool,
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub unlogged: bool,
    /// `PARTITION BY ...` key of a partitioned table, e.g. `RANGE (created_at)`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub partition_by: Option<String>,
    /// Set when this table is a partition of another.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub partition_of: Option<PartitionOf>,
    /// Storage parameters, e.g. `fillfactor=70`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub with: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub comment: Option<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub grants: Vec<Grant>,
}

/// `PARTITION OF parent FOR VALUES ...`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PartitionOf {
    pub parent: QualifiedName,
    /// The bound as the server prints it, e.g. `FOR VALUES FROM ('2024-01-01') TO ('2025-01-01')` or `DEFAULT`.
    pub bound: String,
}

impl Table {
    /// A table with the given name and columns and nothing else.
    pub fn new(name: QualifiedName, columns: Vec<Column>) -> Self {
        Self {
            name,
            columns,
            primary_key: None,
            uniques: Vec::new(),
            foreign_keys: Vec::new(),
            checks: Vec::new(),
            exclusions: Vec::new(),
            indexes: Vec::new(),
            triggers: Vec::new(),
            policies: Vec::new(),
            rls_enabled: false,
            rls_forced: false,
            unlogged: false,
            partition_by: None,
            partition_of: None,
            with: Vec::new(),
            comment: None,
            grants: Vec::new(),
        }
    }

    pub fn column(&self, name: &str) -> Option<&Column> {
        self.columns.iter().find(|c| c.name == name)
    }
}
