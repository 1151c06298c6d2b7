//! Migrations on disk and the migrator that applies them.
//!
//! On disk: a folder per migration (`<prefix>_<name>/` holding `up.sql`,
//! optional `down.sql` and `snapshot.json`), ordered by prefix, with a
//! pinned checksum and explicit statement breakpoints and directives
//! ([`load_folder`], [`parse_script`], [`checksum`]).
//!
//! # Applying ([`migrate`])
//!
//! - **What is pending** is decided by name, never by a high-water mark: every
//!   folder without a row in the tracking table is pending. One older than
//!   the newest applied migration (merged late from a branch) is *out of
//!   order*: refused (nothing runs) unless [`RunOptions::allow_out_of_order`].
//! - **Checksums**: an applied migration whose `up.sql` changed is refused,
//!   by name with both checksums, before anything runs.
//! - **Transactions**: each migration runs in a transaction of its own, with
//!   the insert of its tracking row. A file with `-- strata:no-transaction`
//!   runs statement by statement outside a transaction, recording progress
//!   after each statement; a failed or killed run resumes at the statement
//!   that did not complete ([`no_transaction`]).
//! - **Tracking table**: `strata.migrations` by default ([`TrackingTable`]),
//!   created on the first run; columns in [`tracking`].
//!
//! # Concurrency: the lock
//!
//! Runs from several pods or CI jobs at once must apply each migration
//! exactly once, also behind a transaction-mode pooler such as PgBouncer,
//! where one client's consecutive transactions run on different server
//! connections and session state (session advisory locks, `SET`, named
//! prepared statements) does not survive. So:
//!
//! - the lock is `pg_advisory_xact_lock`, taken first in every transaction
//!   that applies, records or removes a migration; its wait is bounded by
//!   [`Timeouts::lock_wait`] (`lock_timeout` set locally for the wait), and
//!   expiry is [`MigrateError::LockTimeout`];
//! - inside that transaction the migration's tracking row is read again: a
//!   migration a concurrent run applied meanwhile is skipped (reported in
//!   [`MigrateReport::applied_by_others`]), so it is applied exactly once;
//! - a no-transaction migration cannot hold a transaction lock across its
//!   statements: it takes a *lease* in its tracking row under the lock,
//!   renewed from a second connection while it runs and expiring after
//!   [`Timeouts::lease`] if the run dies;
//! - `lock_timeout` and `statement_timeout` for the migrations' statements
//!   ([`Timeouts`]) are set with `set_config(..., true)` inside each
//!   transaction, so they hold under a pooler. For no-transaction files they
//!   are session settings, which a transaction-mode pooler does not keep:
//!   there, set them on the role (`ALTER ROLE ... SET lock_timeout = ...`);
//! - every query uses the unnamed statement (no named prepared statements).
//!
//! This crate never prints: runs return reports ([`MigrateReport`],
//! [`RollbackReport`], [`Status`]) and errors that say what was applied
//! before the failure ([`MigrateError::applied`]).
//!
//! # History
//!
//! The snapshots form a chain ([`chain`]): each names its parent, so
//! [`check`] finds parallel branches and edited history without a journal
//! file, and [`generate`] writes the next migration from the newest snapshot
//! to the code's schema.

pub mod ambiguity;
pub mod apply;
pub mod baseline;
pub mod chain;
pub mod check;
pub mod checksum;
pub mod drizzle;
pub mod drop;
pub mod embedded;
pub mod error;
pub mod folder;
pub mod generate;
pub mod lock;
pub mod migration;
pub mod no_transaction;
pub mod options;
pub mod prefix;
pub mod push;
pub mod report;
pub mod rollback;
pub mod script;
pub mod status;
pub mod tracking;

pub use ambiguity::{possible_renames, PossibleRename};
pub use apply::{migrate, migrate_with_progress, Progress};
pub use baseline::baseline;
pub use chain::{chained_snapshot, snapshot_id, Chain, Link};
pub use check::{check, Problem};
pub use checksum::checksum;
pub use drop::{drop_newest, DropError};
pub use error::{MigrateError, ModifiedMigration};
pub use folder::{load_folder, FolderError, MigrationFiles};
pub use generate::{current_state, draft, Draft, GenerateError, State, WriteOptions, Written};
pub use migration::{prepare, Migration};
pub use options::{RollbackOptions, RunOptions, Target, Timeouts, TrackingTable};
pub use prefix::{parse_folder_name, PrefixStyle};
pub use push::{apply_push, plan_push, violations, PushPlan, PushReport, Violation};
pub use report::{AppliedMigration, MigrateReport, PlannedMigration, RollbackReport, RolledBack};
pub use rollback::rollback;
pub use script::{parse_script, Script, ScriptError, BREAKPOINT, IRREVERSIBLE, NO_TRANSACTION};
pub use status::{compare, status, MigrationState, Status, StatusEntry};
/// Embeds a migrations folder in the binary: see [`embedded`].
pub use strata_migrate_macros::embed_migrations;
pub use tracking::TrackingRow;

/// Reads and parses a migrations folder: [`load_folder`] then [`prepare`].
pub fn load(dir: &std::path::Path) -> Result<Vec<Migration>, MigrateError> {
    prepare(load_folder(dir)?)
}
