//! Schema sources: where a [`Schema`] can come from, named by one string.
//!
//! - `postgres://…` / `postgresql://…`: a live database, introspected;
//! - `path/file.sql`: SQL applied to a shadow database ([`crate::shadow`]);
//! - `path/folder/`: every `.sql` file below it, recursively, in file-name
//!   order, applied the same way;
//! - `path/snapshot.json`: a snapshot written by `strata inspect`.
//!
//! The CLI, the studio and library users all go through [`load`], so a source
//! string means the same thing everywhere.

use crate::connect::{connect, mask_url};
use crate::shadow::{self, ShadowError, SqlFile};
use std::fmt;
use std::path::{Path, PathBuf};
use std::str::FromStr;
use strata_schema::{Filter, Grant, Namespace, Schema, Snapshot, SnapshotError};

/// Where a schema comes from.
#[derive(Clone, PartialEq, Eq)]
pub enum Source {
    /// A live database.
    Url(String),
    /// One `.sql` file.
    SqlFile(PathBuf),
    /// A folder of `.sql` files (searched recursively).
    SqlFolder(PathBuf),
    /// A snapshot `.json` file.
    Snapshot(PathBuf),
}

// Debug must not print the password of a URL source.
impl fmt::Debug for Source {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Source::Url(url) => f.debug_tuple("Url").field(&mask_url(url)).finish(),
            Source::SqlFile(p) => f.debug_tuple("SqlFile").field(p).finish(),
            Source::SqlFolder(p) => f.debug_tuple("SqlFolder").field(p).finish(),
            Source::Snapshot(p) => f.debug_tuple("Snapshot").field(p).finish(),
        }
    }
}

/// Shown to users: URLs with the password masked, paths as given.
impl fmt::Display for Source {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Source::Url(url) => f.write_str(&mask_url(url)),
            Source::SqlFile(p) | Source::SqlFolder(p) | Source::Snapshot(p) => {
                write!(f, "{}", p.display())
            }
        }
    }
}

/// Why a source could not be parsed or loaded.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum SourceError {
    /// The path does not exist.
    #[error("{} does not exist", path.display())]
    NotFound { path: PathBuf },
    /// A file that is neither `.sql` nor `.json`.
    #[error("{} is neither a .sql file, a folder of .sql files, nor a snapshot .json", path.display())]
    UnknownKind { path: PathBuf },
    /// A folder without any `.sql` file in it.
    #[error("the folder {} contains no .sql files", path.display())]
    EmptyFolder { path: PathBuf },
    /// A file or folder could not be read.
    #[error("could not read {}", path.display())]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    /// A snapshot file that is malformed, too new or of another dialect.
    #[error("{}: {source}", path.display())]
    Snapshot {
        path: PathBuf,
        #[source]
        source: SnapshotError,
    },
    /// SQL sources need a server to run on.
    #[error("{} is SQL, which needs a PostgreSQL server to be read (a throw-away shadow database is created there), but no dev URL was given", path.display())]
    NeedsDevUrl { path: PathBuf },
    /// A live database could not be reached; the error shows the URL with its
    /// password masked and the server's reason.
    #[error(transparent)]
    Connect(Box<crate::Error>),
    /// A live database could not be introspected.
    #[error("could not introspect {url}")]
    Introspect {
        url: String,
        #[source]
        source: Box<crate::Error>,
    },
    /// Applying SQL files in the shadow database failed.
    #[error(transparent)]
    Shadow(#[from] ShadowError),
}

impl Source {
    /// Parses a source string, looking at the file system to tell files from
    /// folders. Fails when a path does not exist or has an unknown kind.
    ///
    /// ```
    /// use strata_postgres::source::Source;
    /// let s = Source::parse("postgres://app:secret@db/app").unwrap();
    /// assert_eq!(s.to_string(), "postgres://app:****@db/app");
    /// assert!(Source::parse("no/such/file.sql").is_err());
    /// ```
    pub fn parse(text: &str) -> Result<Source, SourceError> {
        if text.starts_with("postgres://") || text.starts_with("postgresql://") {
            return Ok(Source::Url(text.to_string()));
        }
        let path = PathBuf::from(text);
        let meta = std::fs::metadata(&path).map_err(|source| {
            if source.kind() == std::io::ErrorKind::NotFound {
                SourceError::NotFound { path: path.clone() }
            } else {
                SourceError::Io {
                    path: path.clone(),
                    source,
                }
            }
        })?;
        if meta.is_dir() {
            return Ok(Source::SqlFolder(path));
        }
        match path.extension().and_then(|e| e.to_str()) {
            Some(e) if e.eq_ignore_ascii_case("sql") => Ok(Source::SqlFile(path)),
            Some(e) if e.eq_ignore_ascii_case("json") => Ok(Source::Snapshot(path)),
            _ => Err(SourceError::UnknownKind { path }),
        }
    }

    /// True for sources that need a dev server (SQL files and folders).
    pub fn needs_dev_url(&self) -> bool {
        matches!(self, Source::SqlFile(_) | Source::SqlFolder(_))
    }
}

impl FromStr for Source {
    type Err = SourceError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Source::parse(s)
    }
}

/// Loads the schema a source describes, restricted to `filter`.
///
/// SQL sources are applied to a shadow database on the server at `dev_url`
/// (required for them, ignored otherwise). The result is normalized.
pub async fn load(
    source: &Source,
    dev_url: Option<&str>,
    filter: &Filter,
) -> Result<Schema, SourceError> {
    let mut schema = match source {
        Source::Url(url) => {
            let client = connect(url)
                .await
                .map_err(|e| SourceError::Connect(Box::new(e)))?;
            crate::introspect::introspect(&client, filter)
                .await
                .map_err(|e| SourceError::Introspect {
                    url: mask_url(url),
                    source: Box::new(e),
                })?
        }
        Source::Snapshot(path) => {
            let text = read(path)?;
            let snapshot = Snapshot::from_json(&text).map_err(|source| SourceError::Snapshot {
                path: path.clone(),
                source,
            })?;
            filter.apply(snapshot.schema)
        }
        Source::SqlFile(path) | Source::SqlFolder(path) => {
            let dev_url = dev_url.ok_or_else(|| SourceError::NeedsDevUrl { path: path.clone() })?;
            let files = sql_files(source)?;
            shadow::load_sql(dev_url, &files, filter).await?
        }
    };
    schema.normalize();
    Ok(schema)
}

/// The SQL files of a file or folder source, read, in the order they apply.
pub fn sql_files(source: &Source) -> Result<Vec<SqlFile>, SourceError> {
    let paths = match source {
        Source::SqlFile(path) => vec![path.clone()],
        Source::SqlFolder(dir) => {
            let mut paths = Vec::new();
            collect_sql_files(dir, &mut paths)?;
            if paths.is_empty() {
                return Err(SourceError::EmptyFolder { path: dir.clone() });
            }
            // By file name (then full path for equal names in different
            // folders): `01_x.sql` before `02_y.sql` wherever they sit.
            paths.sort_by(|a, b| (a.file_name(), a).cmp(&(b.file_name(), b)));
            paths
        }
        Source::Url(_) | Source::Snapshot(_) => Vec::new(),
    };
    paths
        .into_iter()
        .map(|path| {
            let text = read(&path)?;
            Ok(SqlFile { path, text })
        })
        .collect()
}

fn collect_sql_files(dir: &Path, out: &mut Vec<PathBuf>) -> Result<(), SourceError> {
    let io = |source| SourceError::Io {
        path: dir.to_path_buf(),
        source,
    };
    for entry in std::fs::read_dir(dir).map_err(io)? {
        let path = entry.map_err(io)?.path();
        if path.is_dir() {
            collect_sql_files(&path, out)?;
        } else if path
            .extension()
            .and_then(|e| e.to_str())
            .is_some_and(|e| e.eq_ignore_ascii_case("sql"))
        {
            out.push(path);
        }
    }
    Ok(())
}

fn read(path: &Path) -> Result<String, SourceError> {
    std::fs::read_to_string(path).map_err(|source| SourceError::Io {
        path: path.to_path_buf(),
        source,
    })
}

/// The schema of a new, empty database (`CREATE DATABASE … TEMPLATE
/// template0` on PostgreSQL 15+): only the `public` schema, with its stock
/// comment and `USAGE` for everyone. The baseline for "the DDL that creates
/// this schema": diffing from it never emits `CREATE SCHEMA public`, which
/// every database already has. (On older servers PUBLIC also holds CREATE
/// there; re-granting it is harmless.)
pub fn empty_database() -> Schema {
    Schema {
        namespaces: vec![Namespace {
            name: "public".into(),
            comment: Some("standard public schema".into()),
            grants: vec![Grant {
                grantee: "PUBLIC".into(),
                privilege: "USAGE".into(),
                with_grant_option: false,
            }],
        }],
        ..Schema::default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_kinds_from_the_file_system() {
        let dir = std::env::temp_dir().join(format!("strata-source-{}", std::process::id()));
        std::fs::create_dir_all(dir.join("sub")).unwrap();
        std::fs::write(dir.join("sub/02_b.sql"), "").unwrap();
        std::fs::write(dir.join("01_a.sql"), "").unwrap();
        std::fs::write(dir.join("notes.txt"), "").unwrap();
        std::fs::write(dir.join("snap.json"), "{}").unwrap();

        let folder = Source::parse(dir.to_str().unwrap()).unwrap();
        assert_eq!(folder, Source::SqlFolder(dir.clone()));
        let names: Vec<_> = sql_files(&folder)
            .unwrap()
            .into_iter()
            .map(|f| f.path.file_name().unwrap().to_string_lossy().into_owned())
            .collect();
        assert_eq!(names, ["01_a.sql", "02_b.sql"]);
        assert!(matches!(
            Source::parse(dir.join("snap.json").to_str().unwrap()),
            Ok(Source::Snapshot(_))
        ));
        assert!(matches!(
            Source::parse(dir.join("notes.txt").to_str().unwrap()),
            Err(SourceError::UnknownKind { .. })
        ));
        assert!(matches!(
            Source::parse(dir.join("missing.sql").to_str().unwrap()),
            Err(SourceError::NotFound { .. })
        ));
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
