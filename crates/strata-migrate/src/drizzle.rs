//! Importing a drizzle-kit migrations folder.
//!
//! Two layouts:
//! - drizzle-kit 0.x: `meta/_journal.json` lists the migrations (`tag`,
//!   `when` in Unix milliseconds) and each is `<tag>.sql`, statements
//!   separated by `--> statement-breakpoint` lines;
//! - drizzle-kit 1.0: a folder per migration, `YYYYMMDDHHMMSS_name/migration.sql`.
//!
//! Each becomes a Strata folder `<tag>/up.sql` with `-- strata:breakpoint`
//! between the statements. On a database that drizzle migrated, its table
//! (`drizzle.__drizzle_migrations`: `hash` = sha256 of the file as read,
//! `created_at` = the migration's `when`) says which ones are applied:
//! [`drizzle_applied`] reads it the way drizzle's migrator does (a migration
//! is applied when its hash is recorded, or when it is not newer than the
//! newest recorded `created_at`), and [`crate::baseline`] records them in
//! Strata's tracking table so `migrate` does not run them again.

use crate::error::MigrateError;
use crate::parse_folder_name;
use sha2::{Digest, Sha256};
use std::path::{Path, PathBuf};
use strata_postgres::error::ServerError;
use tokio_postgres::types::Type;

/// The line drizzle-kit writes between statements.
pub const DRIZZLE_BREAKPOINT: &str = "--> statement-breakpoint";

/// One drizzle migration, read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DrizzleMigration {
    /// The Strata folder name (drizzle's tag).
    pub name: String,
    /// The SQL file it came from.
    pub source: PathBuf,
    /// The statements, in order.
    pub statements: Vec<String>,
    /// drizzle's `folderMillis`: the journal's `when`, or the 1.0 folder's
    /// timestamp as Unix milliseconds (UTC).
    pub when: Option<i64>,
    /// sha256 of the file text as drizzle hashes it (no normalization).
    pub hash: String,
}

impl DrizzleMigration {
    /// The `up.sql` Strata runs: the statements with Strata breakpoints.
    pub fn up_sql(&self) -> String {
        let mut text = self.statements.join("\n-- strata:breakpoint\n");
        text.push('\n');
        text
    }
}

/// Why a drizzle folder could not be imported.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum DrizzleError {
    #[error("{0} holds neither meta/_journal.json (drizzle-kit 0.x) nor <timestamp>_<name>/migration.sql folders (drizzle-kit 1.0); point at drizzle-kit's `out` folder")]
    NotDrizzle(PathBuf),
    #[error("cannot read {path}: {source}")]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("{path}: not a drizzle-kit journal: {reason}")]
    Journal { path: PathBuf, reason: String },
    #[error("drizzle migration `{name}` does not start with a prefix Strata orders by (`0001`, `20261122143022`, ...); rename it in the output folder")]
    BadName { name: String },
    #[error(
        "{0} already holds migrations; import into a new folder (--out) so nothing is overwritten"
    )]
    OutputNotEmpty(PathBuf),
}

fn io(path: &Path) -> impl FnOnce(std::io::Error) -> DrizzleError + '_ {
    move |source| DrizzleError::Io {
        path: path.to_path_buf(),
        source,
    }
}

/// sha256 hex of `text`, exactly as drizzle hashes a migration file.
pub fn drizzle_hash(text: &str) -> String {
    Sha256::digest(text.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

fn statements(text: &str) -> Vec<String> {
    text.split(DRIZZLE_BREAKPOINT)
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_string)
        .collect()
}

/// Reads a drizzle-kit `out` folder (either layout), in drizzle's order.
pub fn read_drizzle_folder(dir: &Path) -> Result<Vec<DrizzleMigration>, DrizzleError> {
    let journal = dir.join("meta").join("_journal.json");
    let migrations = if journal.is_file() {
        read_journal(dir, &journal)?
    } else {
        read_folders(dir)?
    };
    if migrations.is_empty() {
        return Err(DrizzleError::NotDrizzle(dir.to_path_buf()));
    }
    for m in &migrations {
        if parse_folder_name(&m.name).is_none() {
            return Err(DrizzleError::BadName {
                name: m.name.clone(),
            });
        }
    }
    Ok(migrations)
}

fn read_journal(dir: &Path, journal: &Path) -> Result<Vec<DrizzleMigration>, DrizzleError> {
    let text = std::fs::read_to_string(journal).map_err(io(journal))?;
    let bad = |reason: String| DrizzleError::Journal {
        path: journal.to_path_buf(),
        reason,
    };
    let value: serde_json::Value = serde_json::from_str(&text).map_err(|e| bad(e.to_string()))?;
    let entries = value
        .get("entries")
        .and_then(|e| e.as_array())
        .ok_or_else(|| bad("no `entries` array".into()))?;
    let mut out = Vec::new();
    for entry in entries {
        let tag = entry
            .get("tag")
            .and_then(|t| t.as_str())
            .ok_or_else(|| bad("an entry without a `tag`".into()))?;
        let source = dir.join(format!("{tag}.sql"));
        let sql = std::fs::read_to_string(&source).map_err(io(&source))?;
        out.push(DrizzleMigration {
            name: tag.to_string(),
            statements: statements(&sql),
            when: entry.get("when").and_then(|w| w.as_i64()),
            hash: drizzle_hash(&sql),
            source,
        });
    }
    Ok(out)
}

fn read_folders(dir: &Path) -> Result<Vec<DrizzleMigration>, DrizzleError> {
    if !dir.is_dir() {
        return Err(DrizzleError::NotDrizzle(dir.to_path_buf()));
    }
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir).map_err(io(dir))? {
        let entry = entry.map_err(io(dir))?;
        let source = entry.path().join("migration.sql");
        if !source.is_file() {
            continue;
        }
        let name = entry.file_name().to_string_lossy().into_owned();
        let sql = std::fs::read_to_string(&source).map_err(io(&source))?;
        out.push(DrizzleMigration {
            when: name.split('_').next().and_then(timestamp_millis),
            statements: statements(&sql),
            hash: drizzle_hash(&sql),
            name,
            source,
        });
    }
    out.sort_by(|a, b| a.name.cmp(&b.name));
    Ok(out)
}

/// `YYYYMMDDHHMMSS` (UTC) as Unix milliseconds.
fn timestamp_millis(prefix: &str) -> Option<i64> {
    if prefix.len() != 14 || !prefix.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let n = |r: std::ops::Range<usize>| prefix[r].parse::<i64>().ok();
    let (y, m, d) = (n(0..4)?, n(4..6)?, n(6..8)?);
    let (hh, mm, ss) = (n(8..10)?, n(10..12)?, n(12..14)?);
    // Days from the civil date (proleptic Gregorian), Howard Hinnant's method.
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    let days = era * 146_097 + doe - 719_468;
    Some(((days * 24 + hh) * 60 + mm) * 60_000 + ss * 1000)
}

/// Writes the migrations as a Strata folder under `out` (which must be
/// empty or absent). Returns the folders written.
pub fn write_folder(
    out: &Path,
    migrations: &[DrizzleMigration],
) -> Result<Vec<PathBuf>, DrizzleError> {
    if out.is_dir() && std::fs::read_dir(out).map_err(io(out))?.next().is_some() {
        return Err(DrizzleError::OutputNotEmpty(out.to_path_buf()));
    }
    let mut written = Vec::new();
    for m in migrations {
        let folder = out.join(&m.name);
        std::fs::create_dir_all(&folder).map_err(io(&folder))?;
        let up = folder.join("up.sql");
        std::fs::write(&up, m.up_sql()).map_err(io(&up))?;
        written.push(folder);
    }
    Ok(written)
}

/// Where drizzle's migrator keeps its history.
pub const DRIZZLE_TABLE: (&str, &str) = ("drizzle", "__drizzle_migrations");

/// The names of `migrations` that drizzle's table on `url` records as
/// applied; empty when the table does not exist.
pub async fn drizzle_applied(
    url: &str,
    table: (&str, &str),
    migrations: &[DrizzleMigration],
) -> Result<Vec<String>, MigrateError> {
    let client = strata_postgres::connect::connect(url)
        .await
        .map_err(MigrateError::Connect)?;
    let failed = |e: tokio_postgres::Error| MigrateError::TrackingTable {
        table: format!("{}.{}", table.0, table.1),
        server: Box::new(ServerError::from_driver(&e)),
    };
    let exists: bool = client
        .query_typed_one(
            "SELECT EXISTS (SELECT FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
                            WHERE n.nspname = $1 AND c.relname = $2)",
            &[(&table.0, Type::TEXT), (&table.1, Type::TEXT)],
        )
        .await
        .map_err(failed)?
        .get(0);
    if !exists {
        return Ok(Vec::new());
    }
    let sql = format!(
        "SELECT hash, created_at::bigint FROM {}",
        strata_postgres::quote::qualified(table.0, table.1)
    );
    let rows = client.query_typed(&sql, &[]).await.map_err(failed)?;
    let hashes: Vec<String> = rows.iter().map(|r| r.get(0)).collect();
    let newest: Option<i64> = rows.iter().filter_map(|r| r.get::<_, Option<i64>>(1)).max();
    Ok(migrations
        .iter()
        .filter(|m| {
            hashes.contains(&m.hash) || matches!((m.when, newest), (Some(w), Some(n)) if w <= n)
        })
        .map(|m| m.name.clone())
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn timestamps_are_utc_millis() {
        assert_eq!(timestamp_millis("19700101000000"), Some(0));
        assert_eq!(timestamp_millis("20240229123456"), Some(1_709_210_096_000));
        assert_eq!(timestamp_millis("2024"), None);
    }

    #[test]
    fn breakpoints_split_statements() {
        let s = statements(
            "CREATE TABLE a (id int);\n--> statement-breakpoint\nCREATE TABLE b (id int);\n",
        );
        assert_eq!(s, ["CREATE TABLE a (id int);", "CREATE TABLE b (id int);"]);
    }
}
