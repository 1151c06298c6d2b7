//! What the migrator needs to know about its target: a plain struct, so the
//! CLI flags, a `strata.toml` or an app's own code can fill it in.

use std::time::Duration;

/// The database to migrate, where its history is kept, and how long to wait.
/// Its `Debug` output shows the URL with the password masked.
#[derive(Clone, PartialEq, Eq)]
pub struct Target {
    /// Connection URL (`postgres://...` or `key=value`); shown only masked.
    pub url: String,
    /// Where applied migrations are recorded.
    pub tracking: TrackingTable,
    /// Time limits of the run.
    pub timeouts: Timeouts,
}

impl std::fmt::Debug for Target {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Target")
            .field("url", &strata_postgres::connect::mask_url(&self.url))
            .field("tracking", &self.tracking)
            .field("timeouts", &self.timeouts)
            .finish()
    }
}

impl Target {
    /// A target with the default tracking table and timeouts.
    pub fn new(url: impl Into<String>) -> Target {
        Target {
            url: url.into(),
            tracking: TrackingTable::default(),
            timeouts: Timeouts::default(),
        }
    }
}

/// The tracking table, `strata.migrations` by default: a schema of its own
/// keeps it out of the app's `public` schema and out of its diffs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TrackingTable {
    /// Schema of the table (created when missing).
    pub schema: String,
    /// Table name.
    pub table: String,
}

impl Default for TrackingTable {
    fn default() -> Self {
        TrackingTable {
            schema: "strata".to_string(),
            table: "migrations".to_string(),
        }
    }
}

impl TrackingTable {
    /// Parses `schema.table` or `table` (in schema `strata`).
    pub fn parse(text: &str) -> Option<TrackingTable> {
        let (schema, table) = match text.split_once('.') {
            Some((s, t)) => (s, t),
            None => ("strata", text),
        };
        if schema.is_empty() || table.is_empty() || table.contains('.') {
            return None;
        }
        Some(TrackingTable {
            schema: schema.to_string(),
            table: table.to_string(),
        })
    }

    /// The quoted, schema-qualified name for SQL text.
    pub fn sql_name(&self) -> String {
        strata_postgres::quote::qualified(&self.schema, &self.table)
    }

    /// `schema.table`, for messages.
    pub fn display_name(&self) -> String {
        format!("{}.{}", self.schema, self.table)
    }

    /// Removes the migrator's own bookkeeping from a schema read from a
    /// database: the tracking table, and its schema when nothing else lives
    /// there. It belongs to no app's schema, so `diff` and `generate` must
    /// never propose to drop it.
    pub fn hide_from(&self, schema: &mut strata_schema::Schema) {
        let name = strata_schema::QualifiedName::new(&self.schema, &self.table);
        schema.tables.retain(|t| t.name != name);
        let s = self.schema.as_str();
        let used = schema.tables.iter().any(|t| t.name.schema == s)
            || schema.views.iter().any(|v| v.name.schema == s)
            || schema.sequences.iter().any(|q| q.name.schema == s)
            || schema.enums.iter().any(|e| e.name.schema == s)
            || schema.domains.iter().any(|d| d.name.schema == s)
            || schema.composite_types.iter().any(|c| c.name.schema == s)
            || schema.functions.iter().any(|f| f.name.schema == s);
        if !used && s != "public" {
            schema.namespaces.retain(|n| n.name != s);
        }
    }
}

/// Time limits of a run.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Timeouts {
    /// How long to wait for the migrator lock (another run holding it) before
    /// giving up with [`crate::MigrateError::LockTimeout`].
    pub lock_wait: Duration,
    /// `lock_timeout` for the migrations' own statements: how long a DDL
    /// statement may queue behind the app's locks (while it queues, it blocks
    /// every later query on that table). `None` keeps the server's setting.
    pub lock_timeout: Option<Duration>,
    /// `statement_timeout` for the migrations' statements; `None` keeps the
    /// server's setting.
    pub statement_timeout: Option<Duration>,
    /// How long a lease on a no-transaction migration lasts without renewal;
    /// a run that was killed blocks others from that migration for at most
    /// this long. Renewed every third of it while a statement runs.
    pub lease: Duration,
}

impl Default for Timeouts {
    fn default() -> Self {
        Timeouts {
            lock_wait: Duration::from_secs(60),
            lock_timeout: None,
            statement_timeout: None,
            lease: Duration::from_secs(30),
        }
    }
}

/// Options of one `migrate` run.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RunOptions {
    /// Apply pending migrations older than the newest applied one (merged
    /// late from a branch) instead of refusing.
    pub allow_out_of_order: bool,
    /// Plan only: report what would run, change nothing.
    pub dry_run: bool,
    /// Stop after this migration (by folder name).
    pub to: Option<String>,
}

/// Options of one `rollback` run. With neither `steps` nor `to`, one step.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RollbackOptions {
    /// Roll back the newest N applied migrations.
    pub steps: Option<usize>,
    /// Roll back every migration applied after this one (it stays applied).
    pub to: Option<String>,
    /// Also remove migrations that are irreversible (no down.sql, or marked
    /// `-- strata:irreversible`).
    pub force: bool,
    /// Plan only.
    pub dry_run: bool,
}

/// `Duration` as PostgreSQL reads a `*_timeout` setting (milliseconds).
pub(crate) fn setting(duration: Duration) -> String {
    format!("{}ms", duration.as_millis().max(1))
}

#[cfg(test)]
mod hide_tests {
    use super::TrackingTable;
    use strata_schema::{Namespace, QualifiedName, Schema, Table};

    fn schema(tables: &[(&str, &str)]) -> Schema {
        let mut s = Schema::default();
        for (ns, t) in tables {
            if !s.namespaces.iter().any(|n| n.name == *ns) {
                s.namespaces.push(Namespace {
                    name: ns.to_string(),
                    comment: None,
                    grants: Vec::new(),
                });
            }
            s.tables
                .push(Table::new(QualifiedName::new(*ns, *t), Vec::new()));
        }
        s
    }

    #[test]
    fn the_tracking_table_and_its_own_schema_are_hidden() {
        let mut s = schema(&[("strata", "migrations"), ("public", "users")]);
        TrackingTable::default().hide_from(&mut s);
        assert_eq!(s, schema(&[("public", "users")]));
    }

    #[test]
    fn a_shared_schema_stays() {
        let mut s = schema(&[("ops", "history"), ("ops", "jobs")]);
        TrackingTable::parse("ops.history")
            .unwrap()
            .hide_from(&mut s);
        assert_eq!(s, schema(&[("ops", "jobs")]));
        let mut s = schema(&[("public", "strata_migrations")]);
        TrackingTable::parse("public.strata_migrations")
            .unwrap()
            .hide_from(&mut s);
        assert_eq!(s.namespaces.len(), 1, "public is never hidden");
        assert!(s.tables.is_empty());
    }
}
