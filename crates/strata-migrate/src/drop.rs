//! `drop`: removes the newest migration folder, the undo of `generate`.
//!
//! Only the newest: removing one in the middle would break the snapshot
//! chain of every migration after it. The folder is first renamed to a
//! hidden name and then deleted, so an interrupted removal never leaves a
//! half-deleted migration that the folder reader would try to run.

use crate::folder::{load_folder, FolderError};
use std::path::{Path, PathBuf};

/// Why a migration could not be dropped.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum DropError {
    #[error(transparent)]
    Folder(#[from] FolderError),
    #[error("the migrations folder {} holds no migration to drop", dir.display())]
    Empty { dir: PathBuf },
    #[error("`{name}` is not the newest migration (`{newest}` is); only the newest can be dropped, or the history after it would break")]
    NotNewest { name: String, newest: String },
    #[error("there is no migration `{name}` in {}", dir.display())]
    Unknown { name: String, dir: PathBuf },
    #[error("cannot remove {}: {source}", path.display())]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
}

/// Removes the newest migration folder in `dir` and returns its name. With
/// `expected`, refuses unless that is the newest one (a safety check for
/// scripts: `strata drop 0007_add_users`).
pub fn drop_newest(dir: &Path, expected: Option<&str>) -> Result<String, DropError> {
    let migrations = load_folder(dir)?;
    let newest = migrations.last().ok_or_else(|| DropError::Empty {
        dir: dir.to_path_buf(),
    })?;
    if let Some(name) = expected {
        if name != newest.name {
            if !migrations.iter().any(|m| m.name == name) {
                return Err(DropError::Unknown {
                    name: name.to_string(),
                    dir: dir.to_path_buf(),
                });
            }
            return Err(DropError::NotNewest {
                name: name.to_string(),
                newest: newest.name.clone(),
            });
        }
    }
    let hidden = dir.join(format!(
        ".strata-drop-{}-{}",
        std::process::id(),
        newest.name
    ));
    std::fs::rename(&newest.path, &hidden).map_err(|source| DropError::Io {
        path: newest.path.clone(),
        source,
    })?;
    std::fs::remove_dir_all(&hidden).map_err(|source| DropError::Io {
        path: hidden.clone(),
        source,
    })?;
    Ok(newest.name.clone())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn drops_only_the_newest() {
        let dir = std::env::temp_dir().join(format!("strata-drop-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        for name in ["0001_a", "0002_b"] {
            std::fs::create_dir_all(dir.join(name)).unwrap();
            std::fs::write(dir.join(name).join("up.sql"), "").unwrap();
        }
        assert!(matches!(
            drop_newest(&dir, Some("0001_a")),
            Err(DropError::NotNewest { .. })
        ));
        assert!(matches!(
            drop_newest(&dir, Some("0009_x")),
            Err(DropError::Unknown { .. })
        ));
        assert_eq!(drop_newest(&dir, Some("0002_b")).unwrap(), "0002_b");
        assert_eq!(drop_newest(&dir, None).unwrap(), "0001_a");
        assert!(matches!(
            drop_newest(&dir, None),
            Err(DropError::Empty { .. })
        ));
        assert_eq!(std::fs::read_dir(&dir).unwrap().count(), 0);
        std::fs::remove_dir_all(dir).unwrap();
    }
}
