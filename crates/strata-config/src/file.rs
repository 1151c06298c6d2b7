//! `strata.toml`: what the file may hold, read with every key checked and
//! every value's position kept for error messages.
//!
//! ```toml
//! [schema]
//! sql = "schema/"                # or snapshot = "schema.json", or app = "cargo run -q --bin db --"
//!
//! [migrations]
//! dir = "migrations"
//! prefix = "index"               # index | timestamp | date
//! table = "strata.migrations"    # the tracking table (a bare name is in schema `strata`)
//!
//! [filter]
//! schemas = ["public"]
//! tables = ["!tmp_*"]
//!
//! [env.dev]
//! url = "${DATABASE_URL}"
//!
//! [env.prod]
//! url = "${PROD_DATABASE_URL}"
//! protected = true
//! ```

use crate::error::ConfigError;
use crate::location::Location;
use serde::Deserialize;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use strata_migrate::PrefixStyle;
use toml::Spanned;

/// The config file's name, looked up in the current folder and its parents.
pub const CONFIG_FILE: &str = "strata.toml";

/// The tracking table when `[migrations] table` is not given.
pub const DEFAULT_TRACKING_TABLE: &str = "strata.migrations";

/// Where the wanted schema comes from.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum SchemaSource {
    /// A `.sql` file or a folder of them (absolute path).
    Sql(PathBuf),
    /// A snapshot `.json` written by `strata inspect` (absolute path).
    Snapshot(PathBuf),
    /// The app's own `db` binary as a command line (`cargo run -q --bin db --`):
    /// the plain `strata` runs every command through it.
    App(String),
}

/// The migrations folder and how it is tracked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Migrations {
    /// Absolute path of the folder.
    pub dir: PathBuf,
    pub prefix: PrefixStyle,
    /// The tracking table, as written (`strata.migrations` or `ops.migrations`).
    pub table: String,
}

/// One `[env.NAME]` table, before interpolation.
#[derive(Debug, Clone)]
pub(crate) struct EnvironmentSpec {
    pub url: Option<Spanned<String>>,
    pub dev_url: Option<Spanned<String>>,
    pub protected: bool,
}

/// A parsed `strata.toml`.
#[derive(Debug, Clone)]
pub struct Config {
    /// The file that was read.
    pub path: PathBuf,
    /// The folder holding it: relative paths are relative to this.
    pub root: PathBuf,
    pub schema: Option<SchemaSource>,
    pub migrations: Migrations,
    /// `[filter] schemas`: globs, a leading `!` excludes.
    pub schemas: Vec<String>,
    /// `[filter] tables`: globs, `name` or `schema.name`.
    pub tables: Vec<String>,
    pub(crate) dev_url: Option<Spanned<String>>,
    pub(crate) default_env: Option<Spanned<String>>,
    pub(crate) environments: BTreeMap<String, EnvironmentSpec>,
    pub(crate) text: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawConfig {
    schema: Option<Spanned<RawSchema>>,
    migrations: Option<RawMigrations>,
    filter: Option<RawFilter>,
    dev_url: Option<Spanned<String>>,
    default_env: Option<Spanned<String>>,
    #[serde(default)]
    env: BTreeMap<String, RawEnv>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawSchema {
    sql: Option<String>,
    snapshot: Option<String>,
    app: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawMigrations {
    dir: Option<String>,
    prefix: Option<Spanned<String>>,
    table: Option<Spanned<String>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawFilter {
    #[serde(default)]
    schemas: Vec<String>,
    #[serde(default)]
    tables: Vec<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawEnv {
    url: Option<Spanned<String>>,
    dev_url: Option<Spanned<String>>,
    #[serde(default)]
    protected: bool,
}

impl Config {
    /// Reads and checks `path`.
    pub fn load(path: &Path) -> Result<Config, ConfigError> {
        let text = std::fs::read_to_string(path).map_err(|source| ConfigError::Io {
            path: path.to_path_buf(),
            source,
        })?;
        Config::parse(path, text)
    }

    /// The `strata.toml` in `dir` or the nearest parent folder, if any.
    pub fn find(dir: &Path) -> Result<Option<Config>, ConfigError> {
        match dir
            .ancestors()
            .map(|d| d.join(CONFIG_FILE))
            .find(|p| p.is_file())
        {
            Some(path) => Config::load(&path).map(Some),
            None => Ok(None),
        }
    }

    /// Checks `text`, the contents of `path` (used for messages and as the
    /// base of relative paths).
    pub fn parse(path: &Path, text: String) -> Result<Config, ConfigError> {
        let invalid =
            |span: std::ops::Range<usize>, message: String, text: &str| ConfigError::Invalid {
                at: Location::of(path, text, span),
                message,
                text: text.to_string(),
            };
        let raw: RawConfig = toml::from_str(&text).map_err(|e| {
            let span = e.span().unwrap_or(0..0);
            invalid(span, e.message().trim().to_string(), &text)
        })?;
        let root = path
            .parent()
            .filter(|p| !p.as_os_str().is_empty())
            .map_or_else(|| PathBuf::from("."), Path::to_path_buf);

        let schema = match raw.schema {
            None => None,
            Some(spanned) => {
                let span = spanned.span();
                let s = spanned.into_inner();
                match (s.sql, s.snapshot, s.app) {
                    (Some(p), None, None) => Some(SchemaSource::Sql(root.join(p))),
                    (None, Some(p), None) => Some(SchemaSource::Snapshot(root.join(p))),
                    (None, None, Some(c)) => Some(SchemaSource::App(c)),
                    _ => {
                        return Err(invalid(
                            span,
                            "[schema] needs exactly one of `sql` (a .sql file or folder), \
                             `snapshot` (a .json snapshot) or `app` (a command that prints \
                             the schema)"
                                .to_string(),
                            &text,
                        ))
                    }
                }
            }
        };

        let raw_migrations = raw.migrations.unwrap_or(RawMigrations {
            dir: None,
            prefix: None,
            table: None,
        });
        let prefix = match raw_migrations.prefix {
            None => PrefixStyle::Index,
            Some(p) => PrefixStyle::parse(p.get_ref()).ok_or_else(|| {
                invalid(
                    p.span(),
                    format!(
                        "unknown prefix style `{}`, expected `index`, `timestamp` or `date`",
                        p.get_ref()
                    ),
                    &text,
                )
            })?,
        };
        let table = match raw_migrations.table {
            None => DEFAULT_TRACKING_TABLE.to_string(),
            Some(t) => {
                let parts: Vec<&str> = t.get_ref().split('.').collect();
                if parts.len() > 2 || parts.iter().any(|p| p.is_empty()) {
                    return Err(invalid(
                        t.span(),
                        format!(
                            "invalid tracking table `{}`, expected `table` or `schema.table`",
                            t.get_ref()
                        ),
                        &text,
                    ));
                }
                t.into_inner()
            }
        };
        let migrations = Migrations {
            dir: root.join(raw_migrations.dir.as_deref().unwrap_or("migrations")),
            prefix,
            table,
        };
        let filter = raw.filter.unwrap_or(RawFilter {
            schemas: Vec::new(),
            tables: Vec::new(),
        });
        let environments: BTreeMap<String, EnvironmentSpec> = raw
            .env
            .into_iter()
            .map(|(name, e)| {
                (
                    name,
                    EnvironmentSpec {
                        url: e.url,
                        dev_url: e.dev_url,
                        protected: e.protected,
                    },
                )
            })
            .collect();
        if let Some(default) = &raw.default_env {
            if !environments.contains_key(default.get_ref()) {
                let names: Vec<&str> = environments.keys().map(String::as_str).collect();
                return Err(invalid(
                    default.span(),
                    format!(
                        "default_env `{}` is not defined; expected one of the [env.NAME] tables: {}",
                        default.get_ref(),
                        if names.is_empty() { "(none)".to_string() } else { names.join(", ") }
                    ),
                    &text,
                ));
            }
        }
        Ok(Config {
            path: path.to_path_buf(),
            root,
            schema,
            migrations,
            schemas: filter.schemas,
            tables: filter.tables,
            dev_url: raw.dev_url,
            default_env: raw.default_env,
            environments,
            text,
        })
    }

    /// The names of the `[env.NAME]` tables, sorted.
    pub fn environment_names(&self) -> Vec<String> {
        self.environments.keys().cloned().collect()
    }
}
