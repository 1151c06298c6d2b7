//! Where each migration stands: the folder compared with the tracking table.
//! Pure ([`compare`]) plus one read ([`status`]); `migrate` plans from the
//! same comparison, so `status` shows exactly what `migrate` would do.

use crate::error::{MigrateError, ModifiedMigration};
use crate::migration::{name_order, Migration};
use crate::options::Target;
use crate::tracking::{self, TrackingRow};

/// The state of one migration.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum MigrationState {
    /// Applied, and its file is unchanged.
    Applied,
    /// Not applied, newer than every applied one.
    Pending,
    /// Not applied, but older than the newest applied migration (merged late
    /// from a branch): `migrate` refuses it without `allow_out_of_order`.
    OutOfOrder,
    /// Applied, but its `up.sql` changed since: `migrate` refuses to run.
    Modified,
    /// Recorded as applied, but its folder is gone.
    MissingOnDisk,
    /// A no-transaction migration that stopped part-way; `migrate` resumes it
    /// at statement `done + 1`.
    InProgress {
        /// Statements completed.
        done: usize,
        /// Statements in the file.
        total: usize,
    },
}

impl MigrationState {
    /// Lower-case name for output (`applied`, `out_of_order`, ...).
    pub fn as_str(&self) -> &'static str {
        match self {
            MigrationState::Applied => "applied",
            MigrationState::Pending => "pending",
            MigrationState::OutOfOrder => "out_of_order",
            MigrationState::Modified => "modified",
            MigrationState::MissingOnDisk => "missing_on_disk",
            MigrationState::InProgress { .. } => "in_progress",
        }
    }
}

/// One line of the status.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StatusEntry {
    /// Folder name (or the recorded name, when missing on disk).
    pub name: String,
    /// Where it stands.
    pub state: MigrationState,
    /// Checksum of `up.sql` on disk (`None` when missing on disk).
    pub file_checksum: Option<String>,
    /// Checksum in the tracking table (`None` when not applied).
    pub recorded_checksum: Option<String>,
    /// When it was applied, as the server prints it.
    pub applied_at: Option<String>,
    /// How long it ran, when recorded.
    pub execution_ms: Option<i64>,
    /// The file runs outside a transaction (`-- strata:no-transaction`).
    pub no_transaction: bool,
}

/// Every migration, on disk or recorded, in order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Status {
    /// `schema.table` of the tracking table.
    pub tracking_table: String,
    /// False before the first `migrate` (everything is pending).
    pub table_exists: bool,
    /// Every migration, in prefix order.
    pub entries: Vec<StatusEntry>,
}

impl Status {
    /// The entries in `state`.
    pub fn with_state(&self, state: &MigrationState) -> Vec<&StatusEntry> {
        self.entries.iter().filter(|e| &e.state == state).collect()
    }

    /// Applied migrations whose files changed.
    pub fn modified(&self) -> Vec<ModifiedMigration> {
        self.entries
            .iter()
            .filter(|e| e.state == MigrationState::Modified)
            .map(|e| ModifiedMigration {
                name: e.name.clone(),
                recorded: e.recorded_checksum.clone().unwrap_or_default(),
                current: e.file_checksum.clone().unwrap_or_default(),
            })
            .collect()
    }

    /// The newest migration with a record.
    pub fn newest_applied(&self) -> Option<&str> {
        self.entries
            .iter()
            .filter(|e| e.recorded_checksum.is_some())
            .max_by(|a, b| name_order(&a.name).cmp(&name_order(&b.name)))
            .map(|e| e.name.as_str())
    }
}

/// A partly applied no-transaction migration may resume when the file is
/// unchanged, or when only statements it has not run yet changed (the usual
/// fix after a failed statement).
pub(crate) fn resumable(m: &Migration, row: &TrackingRow) -> bool {
    row.checksum == m.checksum
        || row.done_checksum.as_deref() == Some(&m.done_checksum(row.statements_done))
}

/// Compares the folder with the tracking rows.
pub fn compare(
    migrations: &[Migration],
    rows: &[TrackingRow],
    tracking_table: String,
    table_exists: bool,
) -> Status {
    let newest = rows.iter().map(|r| name_order(&r.name)).max();
    let mut entries: Vec<StatusEntry> = migrations
        .iter()
        .map(|m| {
            let row = rows.iter().find(|r| r.name == m.name());
            let state = match row {
                None if newest.as_ref().is_some_and(|n| name_order(m.name()) < *n) => {
                    MigrationState::OutOfOrder
                }
                None => MigrationState::Pending,
                Some(r) if !r.is_applied() && resumable(m, r) => MigrationState::InProgress {
                    done: r.statements_done,
                    total: m.up.statements.len(),
                },
                Some(r) if r.checksum != m.checksum => MigrationState::Modified,
                Some(_) => MigrationState::Applied,
            };
            StatusEntry {
                name: m.name().to_string(),
                state,
                file_checksum: Some(m.checksum.clone()),
                recorded_checksum: row.map(|r| r.checksum.clone()),
                applied_at: row.and_then(|r| r.applied_at.clone()),
                execution_ms: row.and_then(|r| r.execution_ms),
                no_transaction: m.up.no_transaction,
            }
        })
        .collect();
    for row in rows {
        if !migrations.iter().any(|m| m.name() == row.name) {
            entries.push(StatusEntry {
                name: row.name.clone(),
                state: MigrationState::MissingOnDisk,
                file_checksum: None,
                recorded_checksum: Some(row.checksum.clone()),
                applied_at: row.applied_at.clone(),
                execution_ms: row.execution_ms,
                no_transaction: false,
            });
        }
    }
    entries.sort_by_key(|e| name_order(&e.name));
    Status {
        tracking_table,
        table_exists,
        entries,
    }
}

/// Reads the tracking table of `target` and compares it with `migrations`.
/// Changes nothing (the tracking table is not created).
pub async fn status(target: &Target, migrations: &[Migration]) -> Result<Status, MigrateError> {
    let client = strata_postgres::connect::connect(&target.url)
        .await
        .map_err(MigrateError::Connect)?;
    let table = &target.tracking;
    let read_error = |e: tokio_postgres::Error| MigrateError::TrackingTable {
        table: table.display_name(),
        server: Box::new(strata_postgres::error::ServerError::from_driver(&e)),
    };
    let exists = tracking::exists(&client, table).await.map_err(read_error)?;
    let rows = tracking::read_all(&client, table)
        .await
        .map_err(read_error)?;
    Ok(compare(migrations, &rows, table.display_name(), exists))
}
