//! What a run did, returned to the caller (the library never prints).

/// A migration applied by this run.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AppliedMigration {
    /// Folder name.
    pub name: String,
    /// Wall time of the migration's statements.
    pub execution_ms: i64,
    /// How many statements it has.
    pub statements: usize,
    /// It ran outside a transaction.
    pub no_transaction: bool,
    /// For a no-transaction migration resumed after an earlier failure: the
    /// 0-based index of the first statement this run executed.
    pub resumed_at: Option<usize>,
}

/// A migration a run would apply (dry run).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PlannedMigration {
    /// Folder name.
    pub name: String,
    /// It would run outside a transaction.
    pub no_transaction: bool,
    /// The statements that would run, in order (after `resume_at` for a
    /// partly applied no-transaction migration).
    pub statements: Vec<String>,
    /// Index of the first statement to run (0 unless resuming).
    pub resume_at: usize,
    /// Older than the newest applied migration.
    pub out_of_order: bool,
}

/// The result of [`crate::migrate`].
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct MigrateReport {
    /// Applied by this run, in order.
    pub applied: Vec<AppliedMigration>,
    /// Pending when this run planned, but applied meanwhile by a concurrent run.
    pub applied_by_others: Vec<String>,
    /// What would run (only filled in for a dry run).
    pub planned: Vec<PlannedMigration>,
    /// Applied out of order (only with `allow_out_of_order`).
    pub out_of_order: Vec<String>,
    /// Recorded as applied, but not in the folder.
    pub missing_on_disk: Vec<String>,
    /// Nothing was changed: a plan only.
    pub dry_run: bool,
}

/// A migration rolled back by this run (or that would be, in a dry run).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RolledBack {
    /// Folder name.
    pub name: String,
    /// It had no runnable down.sql (forced): only its record was removed.
    pub record_only: bool,
    /// The down statements (run, or that would run).
    pub statements: Vec<String>,
    /// Wall time of the rollback.
    pub execution_ms: i64,
}

/// The result of [`crate::rollback`].
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RollbackReport {
    /// Newest first.
    pub rolled_back: Vec<RolledBack>,
    /// Nothing was changed: a plan only.
    pub dry_run: bool,
}
