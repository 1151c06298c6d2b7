//! Loading the corpus: one folder per case with `case.toml`, `current.sql`
//! and `desired.sql`.
//!
//! Only the fields the runner acts on are read; the converter writes more
//! (provenance, licence, upstream-only flags) and those are ignored.

use crate::error::ConformanceError;
use serde::Deserialize;
use std::path::{Path, PathBuf};

/// What the case says about the two states.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum StatesCompare {
    /// Current and desired describe the same database: the diff must be empty.
    Equal,
    /// The states differ; the diff must reach desired.
    Different,
    /// The states differ only in privileges (GRANT/REVOKE).
    PrivilegesOnly,
}

/// One conformance case, ready to run.
#[derive(Debug, Clone)]
pub struct Case {
    /// Folder name, e.g. `AddArrayColumn`.
    pub name: String,
    pub dir: PathBuf,
    pub current_sql: String,
    pub desired_sql: String,
    pub states_compare: StatesCompare,
    /// Cluster-wide roles the SQL refers to (from `requires_roles` and
    /// `flags.managed_roles`), deduplicated, in first-seen order.
    pub roles: Vec<String>,
    /// Extensions the server must have available.
    pub requires_extensions: Vec<String>,
    /// Lowest server version the case runs on, as `server_version_num`.
    pub min_server_version: Option<u32>,
    /// Upstream never runs this case against a server.
    pub offline_only: bool,
    /// Upstream ran with drops disabled; the corpus still compares against
    /// desired (full sync), and so do we. Kept for reporting.
    pub enable_drop: bool,
    /// `desired.sql` carries sqldef `@renamed from=` comments.
    pub rename_hints: bool,
}

#[derive(Debug, Deserialize)]
struct CaseFile {
    states_compare: StatesCompare,
    #[serde(default)]
    requires_roles: Vec<String>,
    #[serde(default)]
    requires_extensions: Vec<String>,
    #[serde(default)]
    min_pg_version: Option<String>,
    #[serde(default)]
    flags: Flags,
}

#[derive(Debug, Deserialize)]
struct Flags {
    #[serde(default = "yes")]
    enable_drop: bool,
    #[serde(default)]
    managed_roles: Vec<String>,
    #[serde(default)]
    offline_only: bool,
    #[serde(default)]
    rename_hints: bool,
}

impl Default for Flags {
    fn default() -> Self {
        Self {
            enable_drop: true,
            managed_roles: Vec::new(),
            offline_only: false,
            rename_hints: false,
        }
    }
}

fn yes() -> bool {
    true
}

/// Reads every case folder under `dir` (a folder holding `case.toml` is a
/// case), sorted by name. A folder without `case.toml` is not a case; a case
/// with a missing or malformed file is an error: the corpus must load whole.
pub fn load_corpus(dir: &Path) -> Result<Vec<Case>, ConformanceError> {
    let io = |path: &Path, source| ConformanceError::Io {
        path: path.to_path_buf(),
        source,
    };
    if !dir.is_dir() {
        return Err(ConformanceError::CorpusMissing {
            path: dir.to_path_buf(),
        });
    }
    let entries = std::fs::read_dir(dir).map_err(|e| io(dir, e))?;
    let mut cases = Vec::new();
    for entry in entries {
        let entry = entry.map_err(|e| io(dir, e))?;
        let path = entry.path();
        if path.join("case.toml").is_file() {
            cases.push(load_case(&path)?);
        }
    }
    if cases.is_empty() {
        return Err(ConformanceError::EmptyCorpus {
            path: dir.to_path_buf(),
        });
    }
    cases.sort_by(|a, b| a.name.cmp(&b.name));
    Ok(cases)
}

/// Reads one case folder.
pub fn load_case(dir: &Path) -> Result<Case, ConformanceError> {
    let read = |file: &str| {
        let path = dir.join(file);
        std::fs::read_to_string(&path).map_err(|source| ConformanceError::Io { path, source })
    };
    let name = dir
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let meta: CaseFile =
        toml::from_str(&read("case.toml")?).map_err(|e| ConformanceError::BadCase {
            case: name.clone(),
            reason: e.to_string(),
        })?;
    let min_server_version = meta
        .min_pg_version
        .as_deref()
        .map(|v| {
            parse_version(v).ok_or_else(|| ConformanceError::BadCase {
                case: name.clone(),
                reason: format!("min_pg_version `{v}` is not a version"),
            })
        })
        .transpose()?;
    let mut roles: Vec<String> = Vec::new();
    for role in meta.requires_roles.iter().chain(&meta.flags.managed_roles) {
        if !roles.contains(role) {
            roles.push(role.clone());
        }
    }
    Ok(Case {
        current_sql: read("current.sql")?,
        desired_sql: read("desired.sql")?,
        name,
        dir: dir.to_path_buf(),
        states_compare: meta.states_compare,
        roles,
        requires_extensions: meta.requires_extensions,
        min_server_version,
        offline_only: meta.flags.offline_only,
        enable_drop: meta.flags.enable_drop,
        rename_hints: meta.flags.rename_hints,
    })
}

/// `"9.1"` -> 90100, `"12"` -> 120000, `"15.4"` -> 150004: the scale of
/// `server_version_num` (before 10 the second number was the major's minor).
pub fn parse_version(text: &str) -> Option<u32> {
    let mut parts = text.trim().split('.');
    let major: u32 = parts.next()?.parse().ok()?;
    let minor: u32 = parts.next().map(str::parse).transpose().ok()?.unwrap_or(0);
    if parts.next().is_some() {
        return None;
    }
    Some(if major < 10 {
        major * 10000 + minor * 100
    } else {
        major * 10000 + minor
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn versions_use_server_version_num_scale() {
        assert_eq!(parse_version("9.1"), Some(90100));
        assert_eq!(parse_version("12"), Some(120000));
        assert_eq!(parse_version("15.4"), Some(150004));
        assert_eq!(parse_version("x"), None);
        assert_eq!(parse_version("1.2.3"), None);
    }

    #[test]
    fn reads_flags_and_merges_roles() {
        let dir = std::env::temp_dir().join(format!("strata-conf-case-{}", std::process::id()));
        let case_dir = dir.join("Grants");
        std::fs::create_dir_all(&case_dir).unwrap();
        std::fs::write(
            case_dir.join("case.toml"),
            r#"states_compare = "privileges-only"
requires_roles = ["app_user", "readonly_user"]
min_pg_version = "12"
ignored = 1

[flags]
enable_drop = false
managed_roles = ["readonly_user", "PUBLIC"]
"#,
        )
        .unwrap();
        std::fs::write(case_dir.join("current.sql"), "CREATE TABLE t (id int);").unwrap();
        std::fs::write(case_dir.join("desired.sql"), "CREATE TABLE t (id int);").unwrap();
        std::fs::create_dir_all(dir.join("not-a-case")).unwrap();
        let cases = load_corpus(&dir).unwrap();
        std::fs::remove_dir_all(&dir).unwrap();
        assert_eq!(cases.len(), 1);
        let case = &cases[0];
        assert_eq!(case.name, "Grants");
        assert_eq!(case.states_compare, StatesCompare::PrivilegesOnly);
        assert_eq!(case.roles, ["app_user", "readonly_user", "PUBLIC"]);
        assert_eq!(case.min_server_version, Some(120000));
        assert!(!case.enable_drop);
        assert!(!case.offline_only);
    }

    #[test]
    fn missing_corpus_is_an_error() {
        let missing = Path::new("/nonexistent/strata/corpus");
        assert!(matches!(
            load_corpus(missing),
            Err(ConformanceError::CorpusMissing { .. })
        ));
    }
}
