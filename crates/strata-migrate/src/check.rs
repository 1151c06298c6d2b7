//! `check`: everything that is wrong with a migrations folder, at once.
//!
//! Unlike [`crate::load_folder`], which stops at the first thing it cannot
//! read, this collects every problem (bad names, missing `up.sql`, duplicate
//! prefixes, and the snapshot chain's forks, gaps, edits and newer formats),
//! each naming its folders and saying how to fix it, so that a CI run shows
//! the whole picture.

use crate::chain::Chain;
use crate::folder::FolderError;
use crate::prefix::{order_key, parse_folder_name};
use std::fmt;
use std::path::Path;

/// One thing wrong with a migrations folder. [`fmt::Display`] says what;
/// [`Problem::fix`] says what to do.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Problem {
    /// A folder whose name is not `<prefix>_<name>`.
    BadName { folder: String },
    /// A migration folder without `up.sql`.
    MissingUp { folder: String },
    /// Several folders with one prefix: their order is undefined.
    DuplicatePrefix {
        prefix: String,
        folders: Vec<String>,
    },
    /// A `snapshot.json` that cannot be parsed.
    UnreadableSnapshot { folder: String, reason: String },
    /// A `snapshot.json` written by a newer Strata.
    NewerSnapshot { folder: String, found: u32 },
    /// A snapshot whose content no longer matches its id: edited by hand.
    EditedSnapshot {
        folder: String,
        recorded: String,
        computed: String,
    },
    /// Two migrations that follow the same parent (`None`: both start the
    /// chain): parallel branches, typically merged from two git branches.
    Fork {
        parent: Option<String>,
        first: String,
        second: String,
    },
    /// A snapshot whose parent id is not the previous snapshot's, nor any
    /// earlier one's: a migration in between was deleted or renamed away.
    BrokenChain {
        folder: String,
        parent: String,
        previous: Option<String>,
    },
}

/// Short form of an id for messages.
fn short(id: &str) -> &str {
    id.get(..12).unwrap_or(id)
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Problem::BadName { folder } => write!(
                f,
                "`{folder}`: the name is not `<prefix>_<name>` with a prefix like `0001`, `20261122143022` or `2026-11-22`"
            ),
            Problem::MissingUp { folder } => write!(f, "`{folder}`: no up.sql"),
            Problem::DuplicatePrefix { prefix, folders } => write!(
                f,
                "{} share the prefix `{prefix}`: their order is undefined",
                quoted(folders)
            ),
            Problem::UnreadableSnapshot { folder, reason } => {
                write!(f, "`{folder}`: snapshot.json cannot be read: {reason}")
            }
            Problem::NewerSnapshot { folder, found } => write!(
                f,
                "`{folder}`: snapshot.json has format version {found}, newer than this Strata understands (up to {})",
                strata_schema::SNAPSHOT_VERSION
            ),
            Problem::EditedSnapshot {
                folder,
                recorded,
                computed,
            } => write!(
                f,
                "`{folder}`: snapshot.json was edited: its id is {} but its content hashes to {}",
                short(recorded),
                short(computed)
            ),
            Problem::Fork {
                parent,
                first,
                second,
            } => match parent {
                Some(p) => write!(
                    f,
                    "`{first}` and `{second}` both follow `{p}`: two branches of history forked from one parent"
                ),
                None => write!(
                    f,
                    "`{first}` and `{second}` both start the history (neither has a parent): two branches of history"
                ),
            },
            Problem::BrokenChain {
                folder,
                parent,
                previous,
            } => {
                let parent = if parent.is_empty() {
                    "no parent".to_string()
                } else {
                    format!("parent {}", short(parent))
                };
                match previous {
                    Some(p) => write!(
                        f,
                        "`{folder}`: its snapshot's {parent} is not `{p}` (the migration before it) nor any earlier one: the chain is broken"
                    ),
                    None => write!(
                        f,
                        "`{folder}`: its snapshot's {parent} is not in this folder: the chain is broken"
                    ),
                }
            }
        }
    }
}

impl Problem {
    /// What to do about it.
    pub fn fix(&self) -> String {
        match self {
            Problem::BadName { folder } => format!(
                "rename `{folder}` to `<prefix>_{folder}` (e.g. `0001_{folder}`), or move it out of the migrations folder"
            ),
            Problem::MissingUp { folder } => format!(
                "add `{folder}/up.sql` (an empty file for a migration that runs nothing)"
            ),
            Problem::DuplicatePrefix { folders, .. } => format!(
                "give all but one of {} a new prefix after the newest migration (or `strata drop` the newest and `strata generate` it again)",
                quoted(folders)
            ),
            Problem::UnreadableSnapshot { folder, .. } => format!(
                "restore `{folder}/snapshot.json` from version control (e.g. resolve a merge conflict in it)"
            ),
            Problem::NewerSnapshot { folder, .. } => format!(
                "upgrade Strata: `{folder}` was generated by a newer version"
            ),
            Problem::EditedSnapshot { folder, .. } => format!(
                "restore `{folder}/snapshot.json` from version control (`git checkout -- {folder}/snapshot.json`); snapshots are written by `strata generate`, change the schema in code and generate a new migration instead"
            ),
            Problem::Fork { second, first, .. } => format!(
                "keep one branch: if `{second}` is not applied anywhere yet, delete it (`strata drop` removes the newest folder) and run `strata generate` again, which re-creates its changes on top of `{first}`; review the new SQL"
            ),
            Problem::BrokenChain { folder, .. } => format!(
                "restore the migration that `{folder}` follows (see version control), or, if it was removed on purpose and `{folder}` is not applied anywhere, delete `{folder}` and run `strata generate` again"
            ),
        }
    }

    /// The folders this problem is about.
    pub fn folders(&self) -> Vec<&str> {
        match self {
            Problem::BadName { folder }
            | Problem::MissingUp { folder }
            | Problem::UnreadableSnapshot { folder, .. }
            | Problem::NewerSnapshot { folder, .. }
            | Problem::EditedSnapshot { folder, .. }
            | Problem::BrokenChain { folder, .. } => vec![folder],
            Problem::DuplicatePrefix { folders, .. } => {
                folders.iter().map(String::as_str).collect()
            }
            Problem::Fork {
                parent,
                first,
                second,
            } => parent
                .iter()
                .map(String::as_str)
                .chain([first.as_str(), second.as_str()])
                .collect(),
        }
    }
}

fn quoted(names: &[String]) -> String {
    let names: Vec<String> = names.iter().map(|n| format!("`{n}`")).collect();
    match names.as_slice() {
        [] => String::new(),
        [one] => one.clone(),
        [rest @ .., last] => format!("{} and {last}", rest.join(", ")),
    }
}

/// One sub-folder, read leniently.
struct Entry {
    name: String,
    prefix: Option<String>,
    snapshot: Option<String>,
}

/// Every problem in the migrations folder `dir`, in folder order; empty
/// when it is sound. Fails only when `dir` itself cannot be read.
pub fn check(dir: &Path) -> Result<Vec<Problem>, FolderError> {
    let mut problems = Vec::new();
    let mut entries = Vec::new();
    // The same folders `load_folder` reads.
    for (name, path) in crate::folder::migration_dirs(dir)? {
        let prefix = parse_folder_name(&name).map(|(p, _, _)| p.to_string());
        if prefix.is_none() {
            problems.push(Problem::BadName {
                folder: name.clone(),
            });
        }
        if !path.join("up.sql").is_file() {
            problems.push(Problem::MissingUp {
                folder: name.clone(),
            });
        }
        let snapshot = match std::fs::read(path.join("snapshot.json")) {
            Ok(bytes) => match String::from_utf8(bytes) {
                Ok(text) => Some(text),
                Err(_) => {
                    problems.push(Problem::UnreadableSnapshot {
                        folder: name.clone(),
                        reason: "not valid UTF-8".into(),
                    });
                    None
                }
            },
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => None,
            Err(source) => {
                return Err(FolderError::Io {
                    path: path.join("snapshot.json"),
                    source,
                })
            }
        };
        entries.push(Entry {
            name,
            prefix,
            snapshot,
        });
    }
    // Badly named folders have no place in the order; they are reported above.
    entries.retain(|e| e.prefix.is_some());
    entries.sort_by(|a, b| {
        let key = |e: &Entry| order_key(e.prefix.as_deref().unwrap_or(""));
        (key(a), &a.name).cmp(&(key(b), &b.name))
    });
    for group in entries.chunk_by(|a, b| a.prefix == b.prefix) {
        if group.len() > 1 {
            problems.push(Problem::DuplicatePrefix {
                prefix: group[0].prefix.clone().unwrap_or_default(),
                folders: group.iter().map(|e| e.name.clone()).collect(),
            });
        }
    }
    let chain = Chain::read(
        entries
            .iter()
            .map(|e| (e.name.as_str(), e.snapshot.as_deref())),
    );
    problems.extend(chain.problems);
    Ok(problems)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::chain::chained_snapshot;
    use std::path::PathBuf;
    use strata_schema::Schema;

    fn scratch(name: &str) -> PathBuf {
        let dir = std::env::temp_dir().join(format!("strata-check-{}-{name}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        dir
    }

    fn folder(dir: &Path, name: &str, up: bool, snapshot: Option<&str>) {
        let path = dir.join(name);
        std::fs::create_dir_all(&path).unwrap();
        if up {
            std::fs::write(path.join("up.sql"), "select 1;\n").unwrap();
        }
        if let Some(s) = snapshot {
            std::fs::write(path.join("snapshot.json"), s).unwrap();
        }
    }

    #[test]
    fn reports_every_layout_problem_with_its_folders() {
        let dir = scratch("layout");
        let a = chained_snapshot(Schema::default(), None).to_json();
        folder(&dir, "0001_a", true, Some(&a));
        folder(&dir, "0002_b", false, None);
        folder(&dir, "0003_c", true, None);
        folder(&dir, "0003_d", true, None);
        folder(&dir, "notes", true, None);
        folder(&dir, ".tmp", false, None);
        let problems = check(&dir).unwrap();
        let texts: Vec<String> = problems.iter().map(ToString::to_string).collect();
        assert!(problems.contains(&Problem::MissingUp {
            folder: "0002_b".into()
        }));
        assert!(problems.contains(&Problem::BadName {
            folder: "notes".into()
        }));
        assert!(problems.contains(&Problem::DuplicatePrefix {
            prefix: "0003".into(),
            folders: vec!["0003_c".into(), "0003_d".into()],
        }));
        assert_eq!(problems.len(), 3, "{texts:?}");
        for p in &problems {
            assert!(!p.fix().is_empty());
            assert!(p.folders().iter().all(|f| p.to_string().contains(f)));
        }
        std::fs::remove_dir_all(dir).unwrap();
    }

    #[test]
    fn a_sound_folder_has_no_problems() {
        let dir = scratch("sound");
        let a = chained_snapshot(Schema::default(), None);
        let b = chained_snapshot(Schema::default(), Some(a.id.clone()));
        folder(&dir, "0001_a", true, Some(&a.to_json()));
        folder(&dir, "0002_plain", true, None);
        folder(&dir, "0003_b", true, Some(&b.to_json()));
        std::fs::write(dir.join("README.md"), "notes").unwrap();
        assert_eq!(check(&dir).unwrap(), []);
        assert!(check(&dir.join("nope")).is_err());
        std::fs::remove_dir_all(dir).unwrap();
    }
}
