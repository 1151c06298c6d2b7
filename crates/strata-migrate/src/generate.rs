//! `generate`: a new migration folder from the folder's current state (its
//! newest snapshot) to the schema the code declares. No database is needed:
//! the previous state is the snapshot chain, not a server.
//!
//! Two steps, so that a caller can resolve renames in between (prompt, flag):
//! [`draft`] reads the state and diffs, [`Draft::write`] writes
//! `<prefix>_<name>/{up.sql,down.sql,snapshot.json}` atomically (into a
//! hidden temporary folder in the migrations folder, then renamed into
//! place), never over an existing folder.

use crate::ambiguity::{possible_renames, PossibleRename};
use crate::chain::{chained_snapshot, Chain};
use crate::check::Problem;
use crate::folder::{load_folder, FolderError, MigrationFiles};
use crate::prefix::{order_key, PrefixStyle};
use std::path::{Path, PathBuf};
use std::time::{SystemTime, UNIX_EPOCH};
use strata_schema::{diff, DiffError, PlannedChange, RenameHints, Schema, Snapshot};

/// Why a migration could not be generated.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum GenerateError {
    #[error(transparent)]
    Folder(#[from] FolderError),
    #[error("the migrations folder {} has {} problem(s) in its history; run `strata check` and fix them first", dir.display(), problems.len())]
    Chain {
        dir: PathBuf,
        problems: Vec<Problem>,
    },
    #[error(transparent)]
    Diff(#[from] DiffError),
    #[error("migration name `{name}` may only hold letters, digits, `_` and `-`; pick another with `--name`")]
    BadName { name: String },
    #[error("the new prefix `{prefix}` ({style}) would sort before the newest migration `{newest}`; use the folder's prefix style (`--prefix`)")]
    PrefixOrder {
        prefix: String,
        style: PrefixStyle,
        newest: String,
    },
    #[error("{} already exists; generate never overwrites a migration: pick another `--name`, or remove that folder", path.display())]
    Exists { path: PathBuf },
    #[error("cannot write {}: {source}", path.display())]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
}

/// A migrations folder's current state.
#[derive(Debug, Clone)]
pub struct State {
    /// The newest snapshot's schema, or an empty database's before the first.
    pub schema: Schema,
    /// The newest snapshot's id (the parent of the next one).
    pub id: Option<String>,
    /// The folder that holds the newest snapshot.
    pub head: Option<String>,
    /// Every migration in the folder (empty when it does not exist yet).
    pub migrations: Vec<MigrationFiles>,
}

/// Reads the state of the migrations folder `dir` (a missing folder is an
/// empty history). A history with problems is refused: a migration generated
/// on top of a fork would hide it.
pub fn current_state(dir: &Path) -> Result<State, GenerateError> {
    let migrations = if dir.exists() {
        load_folder(dir)?
    } else {
        Vec::new()
    };
    // Older snapshots are read for their links only: `check` verifies them.
    let chain = Chain::read_head(
        migrations
            .iter()
            .map(|m| (m.name.as_str(), m.snapshot.as_deref())),
    );
    if !chain.problems.is_empty() {
        return Err(GenerateError::Chain {
            dir: dir.to_path_buf(),
            problems: chain.problems,
        });
    }
    let head = chain.head();
    Ok(State {
        schema: head.map_or_else(strata_postgres::source::empty_database, |l| {
            l.snapshot.schema.clone()
        }),
        id: head.map(|l| l.snapshot.id.clone()),
        head: head.map(|l| l.name.clone()),
        migrations,
    })
}

/// A diff from the folder's state to the target, not yet written.
#[derive(Debug, Clone)]
pub struct Draft {
    pub dir: PathBuf,
    pub state: State,
    pub target: Schema,
    /// The hints the diff used: the explicit ones plus the code's that still apply.
    pub hints: RenameHints,
    /// The changes from the state to the target (up).
    pub changes: Vec<PlannedChange>,
    /// The changes back (down): computed with the up changes, so that
    /// writing renders without diffing again.
    pub down_changes: Vec<PlannedChange>,
}

/// Diffs the folder's state against `target`. `explicit` hints (flags,
/// answers) must match the state; `in_code` hints that no longer match it
/// (their rename is in an earlier migration) are skipped, since code keeps
/// `renamed_from` long after the migration that used it.
pub fn draft(
    dir: &Path,
    target: &Schema,
    explicit: &RenameHints,
    in_code: &RenameHints,
) -> Result<Draft, GenerateError> {
    let state = current_state(dir)?;
    let mut hints = explicit.clone();
    for h in &in_code.hints {
        if h.applies_to(&state.schema) && !hints.hints.iter().any(|e| e.old == h.old) {
            hints.hints.push(h.clone());
        }
    }
    let mut target = target.clone();
    target.normalize();
    // Both directions at once: each diff is a pure function of its inputs,
    // and at thousands of tables they are most of generate's time.
    let reversed = hints.reversed();
    let (changes, down_changes) = std::thread::scope(|scope| {
        let down = scope.spawn(|| diff(&target, &state.schema, &reversed));
        let up = diff(&state.schema, &target, &hints);
        let down = down
            .join()
            .unwrap_or_else(|panic| std::panic::resume_unwind(panic));
        (up, down)
    });
    Ok(Draft {
        dir: dir.to_path_buf(),
        changes: changes?,
        down_changes: down_changes?,
        state,
        target,
        hints,
    })
}

/// How to name and fill the new folder.
#[derive(Debug, Clone)]
pub struct WriteOptions {
    /// The part after the prefix, e.g. `add_users`.
    pub name: String,
    /// `None`: the style of the newest migration, or index for the first.
    pub style: Option<PrefixStyle>,
    /// Empty up.sql/down.sql for hand-written SQL; the snapshot keeps the state.
    pub custom: bool,
    /// The clock for timestamp and date prefixes.
    pub now: SystemTime,
}

/// What was written.
#[derive(Debug, Clone)]
pub struct Written {
    /// Folder name, e.g. `0003_add_users`.
    pub name: String,
    pub path: PathBuf,
    pub snapshot: Snapshot,
    pub up_statements: usize,
    pub down_statements: usize,
    /// Some down statement cannot bring back data that up destroys.
    pub irreversible: bool,
}

impl Draft {
    /// True when the target equals the state.
    pub fn is_empty(&self) -> bool {
        self.changes.is_empty()
    }

    /// Drop + add pairs that no hint declares: renames or not, only the user knows.
    pub fn possible_renames(&self) -> Vec<PossibleRename> {
        possible_renames(&self.changes)
    }

    /// Writes the migration folder. Call only when there are changes or for
    /// a custom migration; an empty generated migration is the caller's "no
    /// changes" message, not a folder.
    pub fn write(&self, options: &WriteOptions) -> Result<Written, GenerateError> {
        let title = &options.name;
        if title.is_empty()
            || !title
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
        {
            return Err(GenerateError::BadName {
                name: title.clone(),
            });
        }
        let prefix = next_prefix(&self.state.migrations, options.style, options.now)?;
        let name = format!("{prefix}_{title}");
        let migration = if options.custom {
            strata_postgres::render::Migration::default()
        } else {
            strata_postgres::render::migration(&self.changes, &self.down_changes)
        };
        let (schema, up, down) = if options.custom {
            let note = "-- Hand-written migration: write the SQL here (statements separated by `-- strata:breakpoint` lines).\n";
            (
                self.state.schema.clone(),
                note.to_string(),
                note.to_string(),
            )
        } else {
            (
                self.target.clone(),
                migration.up.to_sql(),
                migration.down.to_sql(),
            )
        };
        let snapshot = chained_snapshot(schema, self.state.id.clone());
        let path = self.dir.join(&name);
        if path.exists() {
            return Err(GenerateError::Exists { path });
        }
        let io = |path: &Path| {
            let path = path.to_path_buf();
            move |source| GenerateError::Io { path, source }
        };
        std::fs::create_dir_all(&self.dir).map_err(io(&self.dir))?;
        // Hidden, so that `load_folder` never sees a half-written migration.
        let temp = self
            .dir
            .join(format!(".strata-tmp-{}-{name}", std::process::id()));
        let _ = std::fs::remove_dir_all(&temp);
        std::fs::create_dir(&temp).map_err(io(&temp))?;
        let files = [
            ("up.sql", up.as_str()),
            ("down.sql", down.as_str()),
            ("snapshot.json", &snapshot.to_json()),
        ];
        for (file, text) in files {
            let p = temp.join(file);
            if let Err(e) = std::fs::write(&p, text) {
                let _ = std::fs::remove_dir_all(&temp);
                return Err(GenerateError::Io { path: p, source: e });
            }
        }
        // rename(2) refuses a non-empty target, so a folder created meanwhile
        // is never overwritten (an empty one holds nothing to lose).
        if let Err(e) = std::fs::rename(&temp, &path) {
            let _ = std::fs::remove_dir_all(&temp);
            return Err(if path.exists() {
                GenerateError::Exists { path }
            } else {
                GenerateError::Io { path, source: e }
            });
        }
        Ok(Written {
            up_statements: migration.up.statements.len(),
            down_statements: migration.down.statements.len(),
            irreversible: !migration.down.is_reversible(),
            name,
            path,
            snapshot,
        })
    }
}

/// The prefix of the next migration: after every existing one, in `style`
/// (default: the newest migration's style, index for the first).
///
/// - index: the newest index + 1, as wide as the existing ones (at least 4);
/// - timestamp: `now` in UTC, `YYYYMMDDhhmmss`; if that does not sort after
///   the newest (two in one second, a clock behind), the newest + 1 second;
/// - date: `now`'s UTC date `YYYY-MM-DD`; the second one that day is
///   `YYYY-MM-DD-2`, then `-3`, ... (the folder reader orders them numerically).
pub fn next_prefix(
    existing: &[MigrationFiles],
    style: Option<PrefixStyle>,
    now: SystemTime,
) -> Result<String, GenerateError> {
    let newest = existing.last();
    let style = style
        .or(newest.map(|m| m.style))
        .unwrap_or(PrefixStyle::Index);
    let secs = now
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_secs() as i64);
    let prefix = match style {
        PrefixStyle::Index => {
            let indexes = existing.iter().filter(|m| m.style == PrefixStyle::Index);
            let next = indexes
                .clone()
                .filter_map(|m| m.prefix.parse::<u64>().ok())
                .max()
                .map_or(1, |n| n + 1);
            let width = indexes.map(|m| m.prefix.len()).max().unwrap_or(4).max(4);
            format!("{next:0width$}")
        }
        PrefixStyle::Timestamp => {
            let newest_ts = existing
                .iter()
                .filter(|m| m.style == PrefixStyle::Timestamp)
                .filter_map(|m| parse_timestamp(&m.prefix))
                .max();
            let secs = match newest_ts {
                Some(t) if t >= secs => t + 1,
                _ => secs,
            };
            format_timestamp(secs)
        }
        PrefixStyle::Date => {
            let (y, m, d) = civil_from_days(secs.div_euclid(86_400));
            let day = format!("{y:04}-{m:02}-{d:02}");
            let same_day = existing
                .iter()
                .filter(|m| m.style == PrefixStyle::Date && m.prefix.starts_with(&day))
                .map(|m| {
                    m.prefix[day.len()..]
                        .strip_prefix('-')
                        .and_then(|n| n.parse::<u64>().ok())
                        .unwrap_or(1)
                })
                .max();
            match same_day {
                None => day,
                Some(n) => format!("{day}-{}", n + 1),
            }
        }
    };
    if let Some(newest) = newest {
        if order_key(&prefix) <= order_key(&newest.prefix) {
            return Err(GenerateError::PrefixOrder {
                prefix,
                style,
                newest: newest.name.clone(),
            });
        }
    }
    Ok(prefix)
}

/// `YYYYMMDDhhmmss` (UTC) for seconds since the epoch.
fn format_timestamp(secs: i64) -> String {
    let (y, m, d) = civil_from_days(secs.div_euclid(86_400));
    let t = secs.rem_euclid(86_400);
    format!(
        "{y:04}{m:02}{d:02}{:02}{:02}{:02}",
        t / 3600,
        t / 60 % 60,
        t % 60
    )
}

/// Seconds since the epoch for a `YYYYMMDDhhmmss` prefix.
fn parse_timestamp(prefix: &str) -> Option<i64> {
    let n = |r: std::ops::Range<usize>| prefix.get(r)?.parse::<i64>().ok();
    let days = days_from_civil(n(0..4)?, n(4..6)?, n(6..8)?);
    Some(days * 86_400 + n(8..10)? * 3600 + n(10..12)? * 60 + n(12..14)?)
}

/// (year, month, day) of a day count since 1970-01-01, proleptic Gregorian
/// (the standard era-based conversion: 400-year eras of 146,097 days).
fn civil_from_days(days: i64) -> (i64, i64, i64) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    (y, m, d)
}

/// Inverse of [`civil_from_days`].
fn days_from_civil(y: i64, m: i64, d: i64) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y.rem_euclid(400);
    let mp = if m > 2 { m - 3 } else { m + 9 };
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;
    use strata_schema::{Column, QualifiedName, RenameHint, Table};

    fn at(text: &str) -> SystemTime {
        UNIX_EPOCH + Duration::from_secs(parse_timestamp(text).unwrap() as u64)
    }

    fn existing(names: &[&str]) -> Vec<MigrationFiles> {
        names
            .iter()
            .map(|n| {
                let (prefix, style, _) = crate::parse_folder_name(n).unwrap();
                MigrationFiles {
                    name: n.to_string(),
                    prefix: prefix.to_string(),
                    style,
                    path: PathBuf::from(n),
                    up: String::new(),
                    down: None,
                    snapshot: None,
                }
            })
            .collect()
    }

    #[test]
    fn utc_calendar_round_trips() {
        assert_eq!(format_timestamp(0), "19700101000000");
        assert_eq!(format_timestamp(951_782_400), "20000229000000");
        for t in ["20261122143022", "20240229235959", "21000301000000"] {
            assert_eq!(format_timestamp(parse_timestamp(t).unwrap()), t);
        }
    }

    #[test]
    fn prefixes_stay_ordered() {
        let now = at("20261122143022");
        let p = |names: &[&str], style| next_prefix(&existing(names), style, now).unwrap();
        assert_eq!(p(&[], None), "0001");
        assert_eq!(p(&["0001_a", "0009_b"], None), "0010");
        assert_eq!(p(&["00001_a"], None), "00002");
        assert_eq!(p(&[], Some(PrefixStyle::Timestamp)), "20261122143022");
        // Same second, or a clock behind: one second after the newest.
        assert_eq!(p(&["20261122143022_a"], None), "20261122143023");
        assert_eq!(p(&["20261122145959_a"], None), "20261122150000");
        assert_eq!(p(&[], Some(PrefixStyle::Date)), "2026-11-22");
        assert_eq!(p(&["2026-11-21_a"], None), "2026-11-22");
        assert_eq!(p(&["2026-11-22_a"], None), "2026-11-22-2");
        assert_eq!(
            p(&["2026-11-22_a", "2026-11-22-9_b"], None),
            "2026-11-22-10"
        );
        // Another style would sort before the existing ones.
        assert!(matches!(
            next_prefix(
                &existing(&["20261122143022_a"]),
                Some(PrefixStyle::Index),
                now
            ),
            Err(GenerateError::PrefixOrder { .. })
        ));
    }

    fn scratch(name: &str) -> PathBuf {
        let dir = std::env::temp_dir().join(format!("strata-gen-{}-{name}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        dir
    }

    fn users(columns: &[&str]) -> Schema {
        let mut s = strata_postgres::source::empty_database();
        s.tables.push(Table::new(
            QualifiedName::new("public", "users"),
            columns
                .iter()
                .map(|c| Column {
                    name: c.to_string(),
                    data_type: "text".into(),
                    not_null: false,
                    default: None,
                    identity: None,
                    generated: None,
                    collation: None,
                    comment: None,
                    grants: vec![],
                })
                .collect(),
        ));
        s
    }

    fn options(name: &str) -> WriteOptions {
        WriteOptions {
            name: name.into(),
            style: None,
            custom: false,
            now: SystemTime::now(),
        }
    }

    #[test]
    fn generates_a_chain_and_then_nothing() {
        let dir = scratch("chain");
        let none = RenameHints::default();
        let first = draft(&dir, &users(&["id"]), &none, &none).unwrap();
        assert!(!first.is_empty());
        let w = first.write(&options("init")).unwrap();
        assert_eq!(w.name, "0001_init");
        assert!(w.snapshot.parent.is_none());
        let up = std::fs::read_to_string(dir.join("0001_init/up.sql")).unwrap();
        assert!(up.contains("CREATE TABLE \"public\".\"users\""), "{up}");
        let down = std::fs::read_to_string(dir.join("0001_init/down.sql")).unwrap();
        assert!(down.contains("DROP TABLE \"public\".\"users\""), "{down}");

        // Same schema: nothing to do.
        assert!(draft(&dir, &users(&["id"]), &none, &none)
            .unwrap()
            .is_empty());

        let second = draft(&dir, &users(&["id", "email"]), &none, &none).unwrap();
        let w2 = second.write(&options("email")).unwrap();
        assert_eq!(w2.name, "0002_email");
        assert_eq!(w2.snapshot.parent.as_deref(), Some(w.snapshot.id.as_str()));
        let state = current_state(&dir).unwrap();
        assert_eq!(state.head.as_deref(), Some("0002_email"));
        assert_eq!(state.schema, users(&["id", "email"]));
        assert_eq!(crate::check::check(&dir).unwrap(), []);

        // A custom migration keeps the state and links to it.
        let custom = draft(&dir, &users(&["id", "email"]), &none, &none).unwrap();
        let w3 = custom
            .write(&WriteOptions {
                custom: true,
                ..options("backfill")
            })
            .unwrap();
        assert_eq!(w3.up_statements, 0);
        assert_eq!(current_state(&dir).unwrap().schema, users(&["id", "email"]));
        assert_eq!(crate::check::check(&dir).unwrap(), []);

        assert!(matches!(
            custom.write(&WriteOptions {
                custom: true,
                ..options("bad name")
            }),
            Err(GenerateError::BadName { .. })
        ));
        std::fs::remove_dir_all(dir).unwrap();
    }

    #[test]
    fn refuses_an_existing_folder_and_a_forked_history() {
        let dir = scratch("exists");
        let none = RenameHints::default();
        let d = draft(&dir, &users(&["id"]), &none, &none).unwrap();
        d.write(&options("init")).unwrap();
        // A draft made before the first write still targets 0001.
        assert!(matches!(
            d.write(&options("init")),
            Err(GenerateError::Exists { .. })
        ));
        // A parallel branch: another child of the same parent, made while
        // `0002_a` was away (on another git branch).
        draft(&dir, &users(&["id", "a"]), &none, &none)
            .unwrap()
            .write(&options("a"))
            .unwrap();
        let away = scratch("exists-away");
        std::fs::rename(dir.join("0002_a"), &away).unwrap();
        draft(&dir, &users(&["id", "b"]), &none, &none)
            .unwrap()
            .write(&options("b"))
            .unwrap();
        std::fs::rename(dir.join("0002_b"), dir.join("0003_b")).unwrap();
        std::fs::rename(&away, dir.join("0002_a")).unwrap();
        assert!(matches!(
            current_state(&dir),
            Err(GenerateError::Chain { problems, .. }) if matches!(problems[..], [Problem::Fork { .. }])
        ));
        std::fs::remove_dir_all(dir).unwrap();
    }

    #[test]
    fn code_hints_apply_once_and_flags_resolve_renames() {
        let dir = scratch("renames");
        let none = RenameHints::default();
        draft(&dir, &users(&["id", "full_name"]), &none, &none)
            .unwrap()
            .write(&options("init"))
            .unwrap();
        let plain = draft(&dir, &users(&["id", "name"]), &none, &none).unwrap();
        assert_eq!(
            plain
                .possible_renames()
                .iter()
                .map(|p| p.hint().to_string())
                .collect::<Vec<_>>(),
            ["column:public.users.full_name=name"]
        );
        let in_code = RenameHints::new(vec![RenameHint::parse(
            "column:public.users.full_name=name",
        )
        .unwrap()]);
        let renamed = draft(&dir, &users(&["id", "name"]), &none, &in_code).unwrap();
        assert!(renamed.possible_renames().is_empty());
        renamed.write(&options("rename")).unwrap();
        let up = std::fs::read_to_string(dir.join("0002_rename/up.sql")).unwrap();
        assert!(
            up.contains("RENAME COLUMN \"full_name\" TO \"name\""),
            "{up}"
        );
        // The hint stays in code; it no longer applies and is skipped.
        assert!(draft(&dir, &users(&["id", "name"]), &none, &in_code)
            .unwrap()
            .is_empty());
        std::fs::remove_dir_all(dir).unwrap();
    }
}
