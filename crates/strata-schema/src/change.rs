//! Changes produced by the differ, and their classification.
//!
//! A [`Change`] is one fine-grained schema operation that carries every piece
//! of data a dialect renderer needs (a created table carries the whole table),
//! so rendering looks at nothing but the change. A [`Classification`] says in
//! plain words what applying it risks: data loss, a table rewrite, a strong
//! lock, or a statement that must not share a transaction.

use crate::model::{
    CheckConstraint, Column, CompositeType, Domain, EnumType, ExclusionConstraint, Extension,
    ForeignKey, Function, Grant, Identity, Index, Namespace, OwnedBy, Policy, PrimaryKey,
    QualifiedName, Sequence, SequenceOptions, Table, Trigger, UniqueConstraint, View,
};
use serde::{Deserialize, Serialize};

/// One schema change. Names are the object's names at the moment the change
/// runs (renames are applied first, so later changes use the new names).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
#[non_exhaustive]
// Plans hold tens of changes, not millions: unboxed variants keep matching simple.
#[allow(clippy::large_enum_variant)]
pub enum Change {
    // --- namespaces and extensions
    CreateSchema {
        schema: Namespace,
    },
    DropSchema {
        name: String,
    },
    RenameSchema {
        from: String,
        to: String,
    },
    CreateExtension {
        extension: Extension,
    },
    DropExtension {
        name: String,
    },
    /// `ALTER EXTENSION name SET SCHEMA schema`.
    SetExtensionSchema {
        name: String,
        schema: String,
    },

    // --- enums
    CreateEnum {
        enum_type: EnumType,
    },
    DropEnum {
        name: QualifiedName,
    },
    RenameEnum {
        from: QualifiedName,
        to: String,
    },
    /// `ALTER TYPE name ADD VALUE 'value' [BEFORE 'x' | AFTER 'y']`.
    AddEnumValue {
        name: QualifiedName,
        value: String,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        before: Option<String>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        after: Option<String>,
    },
    RenameEnumValue {
        name: QualifiedName,
        from: String,
        to: String,
    },
    /// A label was removed (or labels reordered): rename the old type away,
    /// create the new one, convert every column through text, drop the old type.
    RecreateEnum {
        enum_type: EnumType,
        /// Labels of the old type that the new one lacks.
        removed: Vec<String>,
        /// Every column that uses the type (or an array of it).
        columns: Vec<EnumColumn>,
    },

    // --- domains and composite types
    CreateDomain {
        domain: Domain,
    },
    DropDomain {
        name: QualifiedName,
    },
    /// `ALTER DOMAIN ... SET DEFAULT` / `DROP DEFAULT`.
    SetDomainDefault {
        name: QualifiedName,
        default: Option<String>,
    },
    /// `ALTER DOMAIN ... SET NOT NULL` / `DROP NOT NULL`.
    SetDomainNotNull {
        name: QualifiedName,
        not_null: bool,
    },
    AddDomainCheck {
        name: QualifiedName,
        check: CheckConstraint,
    },
    DropDomainCheck {
        name: QualifiedName,
        check: String,
    },
    CreateCompositeType {
        composite: CompositeType,
    },
    DropCompositeType {
        name: QualifiedName,
    },

    // --- sequences
    CreateSequence {
        sequence: Sequence,
    },
    DropSequence {
        name: QualifiedName,
    },
    AlterSequence {
        name: QualifiedName,
        data_type: String,
        options: SequenceOptions,
        /// `RESTART WITH n`: set when the old start lies outside the new
        /// bounds (the server refuses bounds that exclude the current value).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        restart: Option<i64>,
    },
    /// `ALTER SEQUENCE ... OWNED BY table.column` / `OWNED BY NONE`.
    SetSequenceOwner {
        name: QualifiedName,
        owned_by: Option<OwnedBy>,
    },

    // --- tables
    /// Creates the table with its columns, primary key, unique, check and
    /// exclusion constraints. Foreign keys, indexes, triggers, policies,
    /// comments and grants come as separate changes (the table carried here
    /// has them removed).
    CreateTable {
        table: Table,
    },
    DropTable {
        name: QualifiedName,
    },
    RenameTable {
        from: QualifiedName,
        to: String,
    },
    /// `ALTER TABLE ... SET LOGGED` / `SET UNLOGGED`.
    SetUnlogged {
        table: QualifiedName,
        unlogged: bool,
    },
    /// `ALTER TABLE ... RESET (...)`, `SET (...)`.
    SetStorageParameters {
        table: QualifiedName,
        reset: Vec<String>,
        set: Vec<String>,
    },
    AttachPartition {
        table: QualifiedName,
        parent: QualifiedName,
        bound: String,
    },
    DetachPartition {
        table: QualifiedName,
        parent: QualifiedName,
    },

    // --- columns
    AddColumn {
        table: QualifiedName,
        column: Column,
    },
    DropColumn {
        table: QualifiedName,
        column: String,
    },
    RenameColumn {
        table: QualifiedName,
        from: String,
        to: String,
    },
    /// `ALTER COLUMN col TYPE data_type [COLLATE c] USING col[::using_via]::data_type`.
    AlterColumnType {
        table: QualifiedName,
        column: String,
        from_type: String,
        data_type: String,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        collation: Option<String>,
        /// Type to cast through (`text` between enums).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        using_via: Option<String>,
    },
    SetNotNull {
        table: QualifiedName,
        column: String,
    },
    DropNotNull {
        table: QualifiedName,
        column: String,
    },
    SetDefault {
        table: QualifiedName,
        column: String,
        default: String,
    },
    DropDefault {
        table: QualifiedName,
        column: String,
    },
    AddIdentity {
        table: QualifiedName,
        column: String,
        identity: Identity,
    },
    DropIdentity {
        table: QualifiedName,
        column: String,
    },
    AlterIdentity {
        table: QualifiedName,
        column: String,
        identity: Identity,
        /// `RESTART WITH n`, as for [`Change::AlterSequence`].
        #[serde(default, skip_serializing_if = "Option::is_none")]
        restart: Option<i64>,
    },
    /// `ALTER COLUMN ... DROP EXPRESSION`: a generated column becomes a plain one.
    DropExpression {
        table: QualifiedName,
        column: String,
    },

    // --- constraints
    AddPrimaryKey {
        table: QualifiedName,
        primary_key: PrimaryKey,
    },
    AddUnique {
        table: QualifiedName,
        unique: UniqueConstraint,
    },
    AddForeignKey {
        table: QualifiedName,
        foreign_key: ForeignKey,
    },
    AddCheck {
        table: QualifiedName,
        check: CheckConstraint,
    },
    AddExclusion {
        table: QualifiedName,
        exclusion: ExclusionConstraint,
    },
    DropConstraint {
        table: QualifiedName,
        name: String,
        constraint: ConstraintKind,
    },
    RenameConstraint {
        table: QualifiedName,
        from: String,
        to: String,
    },

    // --- indexes (on tables and materialized views)
    CreateIndex {
        table: QualifiedName,
        index: Index,
    },
    /// The index lives in its table's schema: `name.schema` is that schema.
    DropIndex {
        name: QualifiedName,
    },
    RenameIndex {
        from: QualifiedName,
        to: String,
    },

    // --- views
    /// Creates a view or materialized view (indexes, comments and grants come separately).
    CreateView {
        view: View,
    },
    DropView {
        name: QualifiedName,
        materialized: bool,
    },
    RenameView {
        from: QualifiedName,
        to: String,
        materialized: bool,
    },

    // --- functions
    /// Runs the stored definition (`CREATE OR REPLACE FUNCTION ...`).
    /// `replace` says it replaces an existing function of the same signature.
    CreateFunction {
        function: Function,
        replace: bool,
    },
    DropFunction {
        name: QualifiedName,
        arguments: String,
        function_kind: String,
    },

    // --- triggers, row-level security
    CreateTrigger {
        table: QualifiedName,
        trigger: Trigger,
    },
    DropTrigger {
        table: QualifiedName,
        name: String,
    },
    /// `ALTER TABLE ... ENABLE [REPLICA | ALWAYS] TRIGGER` / `DISABLE TRIGGER`;
    /// `enabled` is `O`, `D`, `R` or `A`.
    SetTriggerEnabled {
        table: QualifiedName,
        name: String,
        enabled: String,
    },
    CreatePolicy {
        table: QualifiedName,
        policy: Policy,
    },
    DropPolicy {
        table: QualifiedName,
        name: String,
    },
    /// `ALTER TABLE ... ENABLE` / `DISABLE ROW LEVEL SECURITY`.
    EnableRls {
        table: QualifiedName,
        enabled: bool,
    },
    /// `ALTER TABLE ... FORCE` / `NO FORCE ROW LEVEL SECURITY`.
    ForceRls {
        table: QualifiedName,
        forced: bool,
    },

    // --- comments and privileges
    /// `COMMENT ON target IS 'text'` (or `IS NULL` to remove it).
    Comment {
        target: ObjectRef,
        comment: Option<String>,
    },
    GrantPrivilege {
        target: ObjectRef,
        grant: Grant,
    },
    RevokePrivilege {
        target: ObjectRef,
        grant: Grant,
    },
}

/// A column that uses an enum being recreated.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EnumColumn {
    pub table: QualifiedName,
    pub column: String,
    /// The column is an array of the enum.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub array: bool,
    /// Default to put back once the column has the new type.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub default: Option<String>,
}

/// What kind of table constraint a [`Change::DropConstraint`] removes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ConstraintKind {
    PrimaryKey,
    Unique,
    ForeignKey,
    Check,
    Exclusion,
}

impl ConstraintKind {
    /// Words for messages: `primary key`, `foreign key`, ...
    pub fn words(self) -> &'static str {
        match self {
            ConstraintKind::PrimaryKey => "primary key",
            ConstraintKind::Unique => "unique constraint",
            ConstraintKind::ForeignKey => "foreign key",
            ConstraintKind::Check => "check constraint",
            ConstraintKind::Exclusion => "exclusion constraint",
        }
    }
}

/// An object a comment or a privilege applies to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "object", rename_all = "snake_case")]
#[non_exhaustive]
pub enum ObjectRef {
    Schema {
        name: String,
    },
    Extension {
        name: String,
    },
    Table {
        name: QualifiedName,
    },
    Column {
        table: QualifiedName,
        column: String,
    },
    View {
        name: QualifiedName,
        materialized: bool,
    },
    Sequence {
        name: QualifiedName,
    },
    /// An enum or composite type (`COMMENT ON TYPE`).
    Type {
        name: QualifiedName,
    },
    Domain {
        name: QualifiedName,
    },
    /// Index; `name.schema` is its table's schema.
    Index {
        name: QualifiedName,
    },
    Constraint {
        table: QualifiedName,
        name: String,
    },
    DomainConstraint {
        domain: QualifiedName,
        name: String,
    },
    Function {
        name: QualifiedName,
        arguments: String,
        function_kind: String,
    },
    Trigger {
        table: QualifiedName,
        name: String,
    },
    Policy {
        table: QualifiedName,
        name: String,
    },
}

impl std::fmt::Display for ObjectRef {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ObjectRef::Schema { name } => write!(f, "schema {name}"),
            ObjectRef::Extension { name } => write!(f, "extension {name}"),
            ObjectRef::Table { name } => write!(f, "table {name}"),
            ObjectRef::Column { table, column } => write!(f, "column {table}.{column}"),
            ObjectRef::View { name, materialized } => {
                let m = if *materialized { "materialized " } else { "" };
                write!(f, "{m}view {name}")
            }
            ObjectRef::Sequence { name } => write!(f, "sequence {name}"),
            ObjectRef::Type { name } => write!(f, "type {name}"),
            ObjectRef::Domain { name } => write!(f, "domain {name}"),
            ObjectRef::Index { name } => write!(f, "index {name}"),
            ObjectRef::Constraint { table, name } => write!(f, "constraint {name} on {table}"),
            ObjectRef::DomainConstraint { domain, name } => {
                write!(f, "constraint {name} on domain {domain}")
            }
            ObjectRef::Function {
                name,
                arguments,
                function_kind,
            } => write!(f, "{function_kind} {name}({arguments})"),
            ObjectRef::Trigger { table, name } => write!(f, "trigger {name} on {table}"),
            ObjectRef::Policy { table, name } => write!(f, "policy {name} on {table}"),
        }
    }
}

/// What applying a change risks. Each field, when set, holds a one-line
/// explanation that names the object, e.g. "drops column public.users.age and its data".
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Classification {
    /// Data is lost (or the change fails on existing data).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub destructive: Option<String>,
    /// The table is rewritten (time and disk proportional to its size).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rewrites_table: Option<String>,
    /// A lock that blocks reads or writes is held while the change runs.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub strong_lock: Option<String>,
    /// The statement must not share a transaction with what follows it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub non_transactional: Option<String>,
}

impl Classification {
    /// Nothing to worry about.
    pub fn safe() -> Self {
        Self::default()
    }
    pub fn is_destructive(&self) -> bool {
        self.destructive.is_some()
    }
    pub fn rewrites_table(&self) -> bool {
        self.rewrites_table.is_some()
    }
    pub fn takes_strong_lock(&self) -> bool {
        self.strong_lock.is_some()
    }
    pub fn is_non_transactional(&self) -> bool {
        self.non_transactional.is_some()
    }
    /// True when nothing is flagged.
    pub fn is_safe(&self) -> bool {
        *self == Self::default()
    }
    pub fn with_destructive(mut self, why: impl Into<String>) -> Self {
        self.destructive = Some(why.into());
        self
    }
    pub fn with_rewrite(mut self, why: impl Into<String>) -> Self {
        self.rewrites_table = Some(why.into());
        self
    }
    pub fn with_strong_lock(mut self, why: impl Into<String>) -> Self {
        self.strong_lock = Some(why.into());
        self
    }
    pub fn with_non_transactional(mut self, why: impl Into<String>) -> Self {
        self.non_transactional = Some(why.into());
        self
    }
}

/// A change with its classification.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PlannedChange {
    pub change: Change,
    pub classification: Classification,
}

impl PlannedChange {
    pub fn is_destructive(&self) -> bool {
        self.classification.is_destructive()
    }
}

impl Change {
    /// The object whose data this change destroys when it is destructive, as
    /// a key comparable with [`Change::recreates`] (used to mark irreversible
    /// steps of a down script).
    pub fn destroys(&self) -> Option<String> {
        match self {
            Change::DropTable { name } => Some(format!("table {name}")),
            Change::DropColumn { table, column } => Some(format!("column {table}.{column}")),
            Change::AlterColumnType { table, column, .. } => {
                Some(format!("column {table}.{column}"))
            }
            // Removing a label fails on rows that hold it rather than losing
            // them, so going back loses nothing.
            Change::RecreateEnum { .. } => None,
            Change::DropSequence { name } => Some(format!("sequence {name}")),
            Change::DropDomain { name } => Some(format!("type {name}")),
            Change::DropCompositeType { name } => Some(format!("type {name}")),
            _ => None,
        }
    }

    /// The object this change (re)creates, keyed like [`Change::destroys`].
    pub fn recreates(&self) -> Option<String> {
        match self {
            Change::CreateTable { table } => Some(format!("table {}", table.name)),
            Change::AddColumn { table, column } => Some(format!("column {table}.{}", column.name)),
            Change::AlterColumnType { table, column, .. } => {
                Some(format!("column {table}.{column}"))
            }
            Change::RecreateEnum { enum_type, .. } => Some(format!("type {}", enum_type.name)),
            Change::AddEnumValue { name, .. } => Some(format!("type {name}")),
            Change::CreateSequence { sequence } => Some(format!("sequence {}", sequence.name)),
            Change::CreateDomain { domain } => Some(format!("type {}", domain.name)),
            Change::CreateCompositeType { composite } => Some(format!("type {}", composite.name)),
            _ => None,
        }
    }
}
