//! The migrator's error: every variant names the migration, file or table,
//! and every failure after the first change says what was applied before it
//! (`applied`), so nobody has to guess the state of the database.

use crate::{FolderError, ScriptError};
use std::path::PathBuf;
use std::time::Duration;
use strata_postgres::error::ServerError;

/// An applied migration whose `up.sql` no longer matches what was applied.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ModifiedMigration {
    /// The migration (folder name).
    pub name: String,
    /// The checksum in the tracking table.
    pub recorded: String,
    /// The checksum of the file now.
    pub current: String,
}

/// Why a migrate, status or rollback run failed.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum MigrateError {
    /// The migrations folder could not be read.
    #[error(transparent)]
    Folder(#[from] FolderError),
    /// A script has a bad directive.
    #[error("{}: {source}", path.display())]
    Script {
        path: PathBuf,
        #[source]
        source: ScriptError,
    },
    /// The database could not be reached.
    #[error(transparent)]
    Connect(strata_postgres::Error),
    /// `--to` (or another option) names a migration that is not in the folder.
    #[error("no migration named `{name}` in the folder{}", if *.applied { " (it is applied, but not on disk)" } else { "" })]
    UnknownMigration { name: String, applied: bool },
    /// Applied migrations whose files changed; nothing was run.
    #[error("{} applied migration(s) changed on disk: {}", .migrations.len(), modified_list(.migrations))]
    Modified { migrations: Vec<ModifiedMigration> },
    /// Pending migrations older than the newest applied one; nothing was run.
    #[error("migration(s) {} are older than the newest applied migration `{newest_applied}` (merged late from a branch?)", .migrations.join(", "))]
    OutOfOrder {
        migrations: Vec<String>,
        newest_applied: String,
    },
    /// The tracking table could not be created or read.
    #[error("tracking table {table}: {server}")]
    TrackingTable {
        table: String,
        server: Box<ServerError>,
    },
    /// Another run held the migrator lock (or a no-transaction migration's
    /// lease) for longer than the lock wait.
    #[error("timed out after {waited:?} waiting for the migrator lock on {table} ({}){}", waiting_for(.migration), holder.as_ref().map(|h| format!("; migration `{migration}` is leased by {h}")).unwrap_or_default())]
    LockTimeout {
        table: String,
        /// The migration waited for, or what else the run was about to do
        /// (`creating the tracking table`, `push`, ...).
        migration: String,
        waited: Duration,
        /// The lease holder, when a no-transaction migration's lease was the wait.
        holder: Option<String>,
        applied: Vec<String>,
    },
    /// A statement of a migration failed. For a transactional migration the
    /// migration was rolled back as a whole; for a no-transaction one,
    /// `progress` says how many statements had completed (a re-run resumes
    /// at the failed one).
    #[error("migration `{migration}` failed at {}:{line}: {server}", path.display())]
    Statement {
        migration: String,
        path: PathBuf,
        line: usize,
        server: Box<ServerError>,
        progress: Option<(usize, usize)>,
        applied: Vec<String>,
    },
    /// The connection broke (server restart, network) during a migration.
    #[error("lost the connection to the server during `{migration}`: {server}")]
    ConnectionLost {
        migration: String,
        server: Box<ServerError>,
        applied: Vec<String>,
    },
    /// A bookkeeping query failed.
    #[error("{context}: {server}")]
    Query {
        context: String,
        server: Box<ServerError>,
        applied: Vec<String>,
    },
    /// Another run took over the lease of a no-transaction migration while
    /// this one ran it (this run was paused for longer than the lease).
    #[error("lost the lease on no-transaction migration `{migration}` to another run")]
    LeaseLost {
        migration: String,
        applied: Vec<String>,
    },
    /// Rollback of migrations whose down.sql cannot undo them; nothing was run.
    #[error("cannot roll back {}", .migrations.iter().map(|(n, why)| format!("`{n}`: {why}")).collect::<Vec<_>>().join("; "))]
    Irreversible { migrations: Vec<(String, String)> },
    /// Rollback of an applied migration whose folder is gone.
    #[error("migration `{name}` is applied but its folder is not on disk, so its down.sql cannot be run")]
    MissingOnDisk { name: String },
    /// The desired schema could not be diffed against the live one.
    #[error("could not diff the live database against the desired schema: {0}")]
    Diff(#[source] strata_schema::DiffError),
    /// A push would lose data and was not told to accept that; nothing ran.
    #[error("the push would lose data: {}", .changes.join("; "))]
    DataLoss { changes: Vec<String> },
    /// The plan uses features the server lacks; nothing ran.
    #[error("the server runs PostgreSQL {server}, older than this push needs: {}", .unmet.iter().map(ToString::to_string).collect::<Vec<_>>().join("; "))]
    ServerTooOld {
        server: strata_postgres::server_version::ServerVersion,
        unmet: Vec<strata_postgres::server_version::UnmetRequirement>,
    },
    /// A push would add constraints that existing rows violate; nothing ran.
    #[error("existing rows violate constraints the push would add: {}", .violations.iter().map(|v| format!("{} on {}({}): {} row(s) violate it", v.constraint, v.table, v.columns.join(", "), v.rows)).collect::<Vec<_>>().join("; "))]
    Violations {
        violations: Vec<crate::push::Violation>,
    },
    /// The plan holds a TRUNCATE, which push never runs.
    #[error("the push plan holds `{sql}`, and push never truncates")]
    Truncate { sql: String },
    /// A push statement failed; `committed` says whether the transactional
    /// part had already been committed (the failure was in a statement run
    /// after it).
    #[error("push failed at `{sql}`: {server}")]
    PushStatement {
        sql: String,
        server: Box<ServerError>,
        committed: bool,
    },
    /// Rollback of a no-transaction migration that is only partly applied.
    #[error("migration `{name}` is partly applied ({done} of {total} statements)")]
    Partial {
        name: String,
        done: usize,
        total: usize,
    },
}

/// "before `0001_a`" for a migration, else the step as given.
fn waiting_for(migration: &str) -> String {
    if crate::parse_folder_name(migration).is_some() {
        format!("before `{migration}`")
    } else {
        migration.to_string()
    }
}

fn modified_list(migrations: &[ModifiedMigration]) -> String {
    migrations
        .iter()
        .map(|m| {
            format!(
                "`{}` (applied with checksum {}, file now {})",
                m.name, m.recorded, m.current
            )
        })
        .collect::<Vec<_>>()
        .join(", ")
}

impl MigrateError {
    /// Migrations this run applied (or rolled back) before it failed.
    pub fn applied(&self) -> &[String] {
        match self {
            MigrateError::LockTimeout { applied, .. }
            | MigrateError::Statement { applied, .. }
            | MigrateError::ConnectionLost { applied, .. }
            | MigrateError::Query { applied, .. }
            | MigrateError::LeaseLost { applied, .. } => applied,
            _ => &[],
        }
    }

    /// What the server said, when it said something.
    pub fn server(&self) -> Option<&ServerError> {
        match self {
            MigrateError::TrackingTable { server, .. }
            | MigrateError::Statement { server, .. }
            | MigrateError::ConnectionLost { server, .. }
            | MigrateError::Query { server, .. }
            | MigrateError::PushStatement { server, .. } => Some(server),
            MigrateError::Connect(e) => e.server(),
            _ => None,
        }
    }
}

/// True when the error means the connection is gone (closed socket, server
/// shutting down), not that a statement was refused.
pub(crate) fn is_connection_lost(error: &tokio_postgres::Error) -> bool {
    if error.is_closed() {
        return true;
    }
    if let Some(db) = error.as_db_error() {
        // 57P01 admin_shutdown, 57P02 crash_shutdown, 57P03 cannot_connect_now.
        return db.code().code().starts_with("57P");
    }
    // An I/O error under the driver: the socket broke.
    let mut cause = std::error::Error::source(error);
    while let Some(c) = cause {
        if c.is::<std::io::Error>() {
            return true;
        }
        cause = c.source();
    }
    false
}
