//! Everything that can be wrong with a project's configuration, each error
//! naming the file and position and what was expected.

use crate::location::Location;
use std::path::PathBuf;

/// A configuration error. File errors carry a [`Location`] and the file's
/// text, so the CLI can underline the offending part.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ConfigError {
    /// The file could not be read.
    #[error("could not read {path}: {source}")]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    /// `strata.toml` is not valid TOML, has a value of the wrong type, or a
    /// key that Strata does not know (the message lists the allowed ones).
    #[error("{at}: {message}")]
    Invalid {
        at: Location,
        message: String,
        /// The file's text, for rendering a snippet.
        text: String,
    },
    /// A `${VAR}` names a variable that is set neither in the environment
    /// nor in a `.env` file.
    #[error("{at}: environment variable `{name}` is not set (used as `${{{name}}}`)")]
    UndefinedVariable {
        name: String,
        at: Location,
        text: String,
    },
    /// `--env` / `STRATA_ENV` names an environment the file does not define.
    #[error("unknown environment `{name}`; {path} defines: {}", list(available))]
    UnknownEnvironment {
        name: String,
        path: PathBuf,
        available: Vec<String>,
    },
    /// A `.env` line that is not `KEY=VALUE`.
    #[error("{at}: {message}")]
    DotEnv {
        at: Location,
        message: String,
        text: String,
    },
}

fn list(names: &[String]) -> String {
    if names.is_empty() {
        "no environments (add an [env.NAME] table)".to_string()
    } else {
        names.join(", ")
    }
}

impl ConfigError {
    /// Where in which file the error is, when it is in a file.
    pub fn location(&self) -> Option<(&Location, &str)> {
        match self {
            ConfigError::Invalid { at, text, .. }
            | ConfigError::UndefinedVariable { at, text, .. }
            | ConfigError::DotEnv { at, text, .. } => Some((at, text)),
            _ => None,
        }
    }
}
