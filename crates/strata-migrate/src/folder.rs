//! Reading a migrations folder into an ordered list of migrations.

use crate::prefix::{order_key, parse_folder_name, PrefixStyle};
use std::path::{Path, PathBuf};

/// The files of one migration folder.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MigrationFiles {
    /// Folder name, e.g. `0003_add_users`: the migration's identity.
    pub name: String,
    pub prefix: String,
    pub style: PrefixStyle,
    pub path: PathBuf,
    pub up: String,
    pub down: Option<String>,
    pub snapshot: Option<String>,
}

/// Why a migrations folder could not be read. Every variant names the folder
/// and says what to do.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum FolderError {
    #[error("migrations folder {0} does not exist; create it or point `--dir` at the right one")]
    Missing(PathBuf),
    #[error("cannot read {path}: {source}")]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("{path}: folder name `{name}` is not `<prefix>_<name>` with a prefix like `0001`, `20261122143022` or `2026-11-22`; rename it")]
    BadName { path: PathBuf, name: String },
    #[error("{path}: no up.sql; every migration folder needs one (an empty file for a no-op)")]
    MissingUp { path: PathBuf },
    #[error("migrations `{first}` and `{second}` share the prefix `{prefix}`; give one of them a new prefix so their order is defined")]
    DuplicatePrefix {
        first: String,
        second: String,
        prefix: String,
    },
    #[error("{path}: {file} is not valid UTF-8")]
    NotUtf8 { path: PathBuf, file: &'static str },
}

/// The folders under `dir` that are migrations or claim to be, as (name,
/// path), unordered. Files and hidden entries at the top level are ignored
/// (a README is fine), and so is drizzle-kit's `meta/`.
pub fn migration_dirs(dir: &Path) -> Result<Vec<(String, PathBuf)>, FolderError> {
    if !dir.is_dir() {
        return Err(FolderError::Missing(dir.to_path_buf()));
    }
    let io = |source| FolderError::Io {
        path: dir.to_path_buf(),
        source,
    };
    let mut found = Vec::new();
    for entry in std::fs::read_dir(dir).map_err(io)? {
        let entry = entry.map_err(io)?;
        let path = entry.path();
        let name = entry.file_name().to_string_lossy().into_owned();
        if path.is_dir() && !name.starts_with('.') && name != "meta" {
            found.push((name, path));
        }
    }
    Ok(found)
}

/// Reads every `<prefix>_<name>/` folder under `dir` ([`migration_dirs`]),
/// ordered by prefix.
pub fn load_folder(dir: &Path) -> Result<Vec<MigrationFiles>, FolderError> {
    let mut migrations = Vec::new();
    for (name, path) in migration_dirs(dir)? {
        let Some((prefix, style, _)) = parse_folder_name(&name) else {
            return Err(FolderError::BadName { path, name });
        };
        let read = |file: &'static str| -> Result<Option<String>, FolderError> {
            let p = path.join(file);
            match std::fs::read(&p) {
                Ok(bytes) => String::from_utf8(bytes)
                    .map(Some)
                    .map_err(|_| FolderError::NotUtf8 {
                        path: path.clone(),
                        file,
                    }),
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
                Err(source) => Err(FolderError::Io { path: p, source }),
            }
        };
        let up = read("up.sql")?.ok_or_else(|| FolderError::MissingUp { path: path.clone() })?;
        migrations.push(MigrationFiles {
            prefix: prefix.to_string(),
            style,
            down: read("down.sql")?,
            snapshot: read("snapshot.json")?,
            up,
            name,
            path,
        });
    }
    migrations
        .sort_by(|a, b| (order_key(&a.prefix), &a.name).cmp(&(order_key(&b.prefix), &b.name)));
    for pair in migrations.windows(2) {
        if pair[0].prefix == pair[1].prefix {
            return Err(FolderError::DuplicatePrefix {
                first: pair[0].name.clone(),
                second: pair[1].name.clone(),
                prefix: pair[0].prefix.clone(),
            });
        }
    }
    Ok(migrations)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn scratch(name: &str) -> PathBuf {
        let dir = std::env::temp_dir().join(format!("strata-folder-{}-{name}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        dir
    }

    fn migration(dir: &Path, name: &str, up: Option<&str>) {
        std::fs::create_dir_all(dir.join(name)).unwrap();
        if let Some(up) = up {
            std::fs::write(dir.join(name).join("up.sql"), up).unwrap();
        }
    }

    #[test]
    fn orders_by_prefix_numerically() {
        let dir = scratch("order");
        migration(&dir, "10000_late", Some("select 2"));
        migration(&dir, "9999_early", Some("select 1"));
        std::fs::write(dir.join("README.md"), "notes").unwrap();
        let names: Vec<String> = load_folder(&dir)
            .unwrap()
            .into_iter()
            .map(|m| m.name)
            .collect();
        assert_eq!(names, ["9999_early", "10000_late"]);
        std::fs::remove_dir_all(dir).unwrap();
    }

    #[test]
    fn refuses_bad_input_naming_the_folder() {
        let dir = scratch("bad");
        migration(&dir, "0001_a", Some(""));
        migration(&dir, "0001_b", Some(""));
        let err = load_folder(&dir).unwrap_err().to_string();
        assert!(err.contains("0001_a") && err.contains("0001_b"), "{err}");

        let dir2 = scratch("noup");
        migration(&dir2, "0001_a", None);
        assert!(matches!(
            load_folder(&dir2),
            Err(FolderError::MissingUp { .. })
        ));

        let dir3 = scratch("name");
        migration(&dir3, "add_users", Some(""));
        assert!(load_folder(&dir3)
            .unwrap_err()
            .to_string()
            .contains("add_users"));
        for d in [dir, dir2, dir3] {
            std::fs::remove_dir_all(d).unwrap();
        }
    }
}
