//! Errors that stop the whole run (as opposed to a failing case, which is a
//! result: see [`crate::outcome::Outcome`]).

use std::path::PathBuf;

/// Why the conformance run could not be carried out.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ConformanceError {
    /// A corpus or expectation file could not be read or written.
    #[error("could not access {path}: {source}")]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    /// The corpus folder does not exist.
    #[error(
        "conformance corpus not found at {path} (set STRATA_CONFORMANCE_DIR to the corpus folder)"
    )]
    CorpusMissing { path: PathBuf },
    /// `STRATA_CONFORMANCE_FILTER` selects no case: most likely a typo.
    #[error("STRATA_CONFORMANCE_FILTER `{filter}` matches no case")]
    FilterMatchesNothing { filter: String },
    /// The corpus folder holds no case: a run over nothing must not pass.
    #[error(
        "no conformance case found in {path} (set STRATA_CONFORMANCE_DIR to the corpus folder)"
    )]
    EmptyCorpus { path: PathBuf },
    /// A `case.toml` is malformed.
    #[error("case {case}: invalid case.toml: {reason}")]
    BadCase { case: String, reason: String },
    /// `expected-failures.toml` or `ratchet.toml` is malformed.
    #[error("invalid {path}: {reason}")]
    BadExpectations { path: PathBuf, reason: String },
    /// The server refused a set-up statement (roles, version query).
    #[error("server set-up failed: {0}")]
    Setup(String),
}

/// A server error as one line that keeps what the server said: SQLSTATE,
/// message, detail, hint and position (`ERROR 42601: syntax error at or near
/// "x" (position 12)`). Non-server errors (I/O, protocol) print as they are.
pub fn server_error(e: &tokio_postgres::Error) -> String {
    let Some(db) = e.as_db_error() else {
        return e.to_string();
    };
    let mut text = format!("{} {}: {}", db.severity(), db.code().code(), db.message());
    if let Some(detail) = db.detail() {
        text.push_str(&format!(" (detail: {detail})"));
    }
    if let Some(hint) = db.hint() {
        text.push_str(&format!(" (hint: {hint})"));
    }
    if let Some(tokio_postgres::error::ErrorPosition::Original(p)) = db.position() {
        text.push_str(&format!(" (position {p})"));
    }
    text
}

/// An error with its chain of sources, on one line.
pub fn with_sources(e: &dyn std::error::Error) -> String {
    let mut text = e.to_string();
    let mut source = e.source();
    while let Some(s) = source {
        let line = match s.downcast_ref::<tokio_postgres::Error>() {
            Some(pg) => server_error(pg),
            None => s.to_string(),
        };
        if !text.contains(&line) {
            text.push_str(": ");
            text.push_str(&line);
        }
        source = s.source();
    }
    text
}
