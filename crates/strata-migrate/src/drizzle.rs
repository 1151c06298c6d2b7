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
//! `created_at` = the migration's `when`, and since drizzle-orm 1.0 `name` =
//! the migration folder's name) says which ones are applied.
//! [`drizzle_applied`] reads it the way the migrator of that layout does
//! (checked against the real drizzle-orm 0.45 and 1.0 migrators, see
//! crates/strata-cli/tests/cli/drizzle_real.rs), and [`crate::baseline`]
//! records them in Strata's tracking table so `migrate` does not run them
//! again.

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

/// Which drizzle-kit wrote a folder, and so which drizzle-orm migrator
/// applies it: their histories are read differently.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DrizzleLayout {
    /// drizzle-kit 0.x: `meta/_journal.json` and `<tag>.sql` files. Its
    /// migrator (drizzle-orm 0.x, which refuses the other layout) treats a
    /// migration as applied when its `when` is not newer than the newest
    /// recorded `created_at`; hashes and names are not compared.
    Journal,
    /// drizzle-kit 1.0: `<timestamp>_<name>/migration.sql` folders. Its
    /// migrator (drizzle-orm 1.0, which refuses journals) treats a migration
    /// as applied when its folder name is recorded; rows of an older table
    /// without names are first matched by second-precision timestamp, then
    /// by hash.
    Folders,
}

/// A drizzle-kit `out` folder, read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DrizzleFolder {
    /// The folder read.
    pub dir: PathBuf,
    /// Which drizzle-kit wrote it.
    pub layout: DrizzleLayout,
    /// The migrations, in drizzle's order.
    pub migrations: Vec<DrizzleMigration>,
}

/// One row of drizzle's history table.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DrizzleRecord {
    /// The row's `id` (serial: insertion order).
    pub id: i64,
    /// sha256 of the migration file drizzle ran.
    pub hash: String,
    /// The migration's `folderMillis`.
    pub created_at: Option<i64>,
    /// The migration folder's name (drizzle-orm 1.0; `None` in older tables).
    pub name: Option<String>,
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
    /// drizzle's history could not be read.
    #[error(transparent)]
    History(#[from] MigrateError),
    /// History rows (of a table without names) match no migration in the
    /// folder: the database has migrations this checkout lacks. drizzle-orm
    /// 1.0's migrator refuses such a database too.
    #[error("{table} records {} migration(s) (ids {}) that match no migration in {}: the database has migrations this folder lacks", .ids.len(), ids_list(.ids), .dir.display())]
    UnknownHistory {
        table: String,
        ids: Vec<i64>,
        dir: PathBuf,
    },
}

fn ids_list(ids: &[i64]) -> String {
    ids.iter()
        .map(i64::to_string)
        .collect::<Vec<_>>()
        .join(", ")
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
pub fn read_drizzle_folder(dir: &Path) -> Result<DrizzleFolder, DrizzleError> {
    let journal = dir.join("meta").join("_journal.json");
    let (layout, migrations) = if journal.is_file() {
        (DrizzleLayout::Journal, read_journal(dir, &journal)?)
    } else {
        (DrizzleLayout::Folders, read_folders(dir)?)
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
    Ok(DrizzleFolder {
        dir: dir.to_path_buf(),
        layout,
        migrations,
    })
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

/// The names of `folder`'s migrations that drizzle's table on `url` records
/// as applied; empty when the table does not exist.
pub async fn drizzle_applied(
    url: &str,
    table: (&str, &str),
    folder: &DrizzleFolder,
) -> Result<Vec<String>, DrizzleError> {
    let records = drizzle_history(url, table).await?;
    applied_by_drizzle(folder, &records, &format!("{}.{}", table.0, table.1))
}

/// The rows of drizzle's history table `table` on `url`, in insertion order;
/// empty when the table does not exist.
pub async fn drizzle_history(
    url: &str,
    table: (&str, &str),
) -> Result<Vec<DrizzleRecord>, MigrateError> {
    let client = strata_postgres::connect::connect(url)
        .await
        .map_err(MigrateError::Connect)?;
    let failed = |e: tokio_postgres::Error| MigrateError::TrackingTable {
        table: format!("{}.{}", table.0, table.1),
        server: Box::new(ServerError::from_driver(&e)),
    };
    let columns: Vec<String> = client
        .query_typed(
            "SELECT a.attname::text FROM pg_attribute a
               JOIN pg_class c ON c.oid = a.attrelid
               JOIN pg_namespace n ON n.oid = c.relnamespace
              WHERE n.nspname = $1 AND c.relname = $2 AND a.attnum > 0 AND NOT a.attisdropped",
            &[(&table.0, Type::TEXT), (&table.1, Type::TEXT)],
        )
        .await
        .map_err(failed)?
        .iter()
        .map(|r| r.get(0))
        .collect();
    if columns.is_empty() {
        return Ok(Vec::new());
    }
    // drizzle-orm 1.0 added `name`; older tables lack it.
    let name = if columns.iter().any(|c| c == "name") {
        "name::text"
    } else {
        "NULL::text"
    };
    let sql = format!(
        "SELECT id::bigint, hash, created_at::bigint, {name} FROM {} ORDER BY id",
        strata_postgres::quote::qualified(table.0, table.1)
    );
    let rows = client.query_typed(&sql, &[]).await.map_err(failed)?;
    Ok(rows
        .iter()
        .map(|r| DrizzleRecord {
            id: r.get(0),
            hash: r.get(1),
            created_at: r.get(2),
            name: r.get(3),
        })
        .collect())
}

/// The names of `folder`'s migrations that `records` (drizzle's history,
/// from table `table`) mark as applied, decided as the migrator of the
/// folder's layout decides (see [`DrizzleLayout`]).
pub fn applied_by_drizzle(
    folder: &DrizzleFolder,
    records: &[DrizzleRecord],
    table: &str,
) -> Result<Vec<String>, DrizzleError> {
    let migrations = &folder.migrations;
    let applied: Vec<&DrizzleMigration> = match folder.layout {
        DrizzleLayout::Journal => {
            let newest = records.iter().filter_map(|r| r.created_at).max();
            migrations
                .iter()
                .filter(|m| matches!((m.when, newest), (Some(w), Some(n)) if w <= n))
                .collect()
        }
        DrizzleLayout::Folders => {
            let mut names: Vec<&str> = Vec::new();
            let mut unknown = Vec::new();
            for record in records {
                match record.name.as_deref() {
                    Some(name) => names.push(name),
                    None => match match_unnamed(migrations, record) {
                        Some(m) => names.push(&m.name),
                        None => unknown.push(record.id),
                    },
                }
            }
            if !unknown.is_empty() {
                return Err(DrizzleError::UnknownHistory {
                    table: table.to_string(),
                    ids: unknown,
                    dir: folder.dir.clone(),
                });
            }
            migrations
                .iter()
                .filter(|m| names.contains(&m.name.as_str()))
                .collect()
        }
    };
    Ok(applied.iter().map(|m| m.name.clone()).collect())
}

/// The migration an unnamed history row stands for, as drizzle-orm 1.0 finds
/// it when it adds names to an older table: the one whose timestamp is the
/// row's `created_at` cut to the second, the hash deciding between several
/// with that second, and the hash alone when none has it.
fn match_unnamed<'a>(
    migrations: &'a [DrizzleMigration],
    record: &DrizzleRecord,
) -> Option<&'a DrizzleMigration> {
    let second = record.created_at.map(|c| c - c % 1000);
    let same_second: Vec<&DrizzleMigration> = migrations
        .iter()
        .filter(|m| second.is_some() && m.when == second)
        .collect();
    match same_second.as_slice() {
        [one] => Some(one),
        // drizzle keeps the last migration of each hash.
        [] => migrations.iter().rev().find(|m| m.hash == record.hash),
        several => several.iter().copied().find(|m| m.hash == record.hash),
    }
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

    fn migration(name: &str, when: i64, sql: &str) -> DrizzleMigration {
        DrizzleMigration {
            name: name.to_string(),
            source: PathBuf::from(name),
            statements: statements(sql),
            when: Some(when),
            hash: drizzle_hash(sql),
        }
    }

    fn folder(layout: DrizzleLayout, migrations: Vec<DrizzleMigration>) -> DrizzleFolder {
        DrizzleFolder {
            dir: PathBuf::from("drizzle"),
            layout,
            migrations,
        }
    }

    fn record(id: i64, m: &DrizzleMigration, created_at: i64, name: Option<&str>) -> DrizzleRecord {
        DrizzleRecord {
            id,
            hash: m.hash.clone(),
            created_at: Some(created_at),
            name: name.map(str::to_string),
        }
    }

    #[test]
    fn journal_history_is_the_newest_created_at_only() {
        // drizzle-orm 0.x compares `when` with the newest created_at; the
        // hash of a newer migration does not make it applied.
        let a = migration("0000_a", 1_700_000_000_000, "CREATE TABLE a ();");
        let b = migration("0001_b", 1_700_000_001_000, "CREATE TABLE b ();");
        let c = migration("0002_c", 1_700_000_002_000, "CREATE TABLE a ();");
        let f = folder(DrizzleLayout::Journal, vec![a.clone(), b.clone(), c]);
        let history = [record(1, &b, 1_700_000_001_000, None)];
        assert_eq!(
            applied_by_drizzle(&f, &history, "t").unwrap(),
            ["0000_a", "0001_b"]
        );
        assert!(applied_by_drizzle(&f, &[], "t").unwrap().is_empty());
    }

    #[test]
    fn folder_history_is_by_name() {
        // drizzle-orm 1.0 runs any migration whose name is not recorded,
        // even one older than the newest applied (a merged branch).
        let old = migration(
            "20240101000000_old",
            1_704_067_200_000,
            "CREATE TABLE o ();",
        );
        let new = migration(
            "20240102000000_new",
            1_704_153_600_000,
            "CREATE TABLE n ();",
        );
        let f = folder(DrizzleLayout::Folders, vec![old, new.clone()]);
        let history = [record(1, &new, 1_704_153_600_000, Some(&new.name))];
        assert_eq!(
            applied_by_drizzle(&f, &history, "t").unwrap(),
            ["20240102000000_new"]
        );
    }

    #[test]
    fn unnamed_rows_match_by_second_then_hash() {
        // A table drizzle-orm 0.x wrote (millisecond `when`s), read against
        // the folders `drizzle-kit up` made (second-precision names).
        let a = migration("20240101000000_a", 1_704_067_200_000, "CREATE TABLE a ();");
        let b = migration("20240101000001_b", 1_704_067_201_000, "CREATE TABLE b ();");
        let b2 = migration("20240101000001_c", 1_704_067_201_000, "CREATE TABLE c ();");
        let f = folder(DrizzleLayout::Folders, vec![a.clone(), b, b2.clone()]);
        let history = [
            record(1, &a, 1_704_067_200_123, None),
            record(2, &b2, 1_704_067_201_456, None),
        ];
        assert_eq!(
            applied_by_drizzle(&f, &history, "t").unwrap(),
            ["20240101000000_a", "20240101000001_c"]
        );
        let stranger = migration("x", 1_600_000_000_000, "CREATE TABLE x ();");
        let history = [record(7, &stranger, 1_600_000_000_000, None)];
        let err = applied_by_drizzle(&f, &history, "drizzle.__drizzle_migrations").unwrap_err();
        assert!(
            matches!(&err, DrizzleError::UnknownHistory { ids, .. } if ids == &[7]),
            "{err}"
        );
        assert!(err.to_string().contains("ids 7"), "{err}");
    }
}
