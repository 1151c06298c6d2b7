//! The error type of this crate, and what the server said when it refused.
//!
//! Every failure that reaches the server keeps its SQLSTATE, message, detail,
//! hint and position ([`ServerError`]), so callers can branch on codes and the
//! CLI can point at the failing text. Connection errors carry the URL with its
//! password masked ([`crate::connect::mask_url`]); a password never appears in
//! an error's text.

use crate::server_version::ServerVersion;
use std::fmt;

/// An error of the PostgreSQL dialect: connecting, querying, introspecting.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The connection string could not be parsed.
    #[error("invalid connection URL {url}: {reason}")]
    InvalidUrl {
        /// The URL with its password masked.
        url: String,
        reason: String,
    },
    /// The TLS settings of the URL are invalid or their files unreadable
    /// (`sslmode`, `sslrootcert`).
    #[error("TLS settings of {url}: {reason}")]
    Tls {
        /// The URL with its password masked.
        url: String,
        reason: String,
    },
    /// The server could not be reached, or refused the connection (bad
    /// password, unknown database, ...).
    #[error("could not connect to {url}: {server}")]
    Connect {
        /// The URL with its password masked.
        url: String,
        server: Box<ServerError>,
    },
    /// A statement failed; `context` says what Strata was doing.
    #[error("{context}: {server}")]
    Query {
        context: String,
        server: Box<ServerError>,
    },
    /// The server is older than Strata supports
    /// ([`ServerVersion::OLDEST_SUPPORTED`]).
    #[error(
        "the server runs PostgreSQL {version}; Strata supports PostgreSQL {} and newer: upgrade the server",
        ServerVersion::OLDEST_SUPPORTED.major()
    )]
    UnsupportedServer { version: ServerVersion },
    /// The catalog answered with something this build does not understand
    /// (a bug, or a server version that is not supported).
    #[error("unexpected catalog data: {0}")]
    Catalog(String),
}

impl Error {
    /// Wraps a driver error from a statement, keeping the server's fields.
    pub fn query(context: impl Into<String>, error: &tokio_postgres::Error) -> Error {
        Error::Query {
            context: context.into(),
            server: Box::new(ServerError::from_driver(error)),
        }
    }

    /// What the server said, when the error came from the server (or the
    /// connection to it).
    pub fn server(&self) -> Option<&ServerError> {
        match self {
            Error::Connect { server, .. } | Error::Query { server, .. } => Some(server),
            _ => None,
        }
    }

    /// The SQLSTATE code (e.g. `3D000` unknown database, `28P01` bad password),
    /// when the server sent one.
    pub fn code(&self) -> Option<&str> {
        self.server().and_then(|s| s.code.as_deref())
    }
}

/// What the server (or the driver, for errors that never reached the server)
/// reported, kept field by field.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ServerError {
    /// SQLSTATE, e.g. `42P01`; `None` for errors that did not come from the
    /// server (refused connection, closed socket, ...).
    pub code: Option<String>,
    /// The primary message.
    pub message: String,
    pub detail: Option<String>,
    pub hint: Option<String>,
    /// 1-based character offset into the statement text, when the server
    /// pointed at one.
    pub position: Option<u32>,
}

impl ServerError {
    /// Takes the fields out of a driver error. For errors that did not come
    /// from the server, the driver's own text (with its cause) is the message.
    pub fn from_driver(error: &tokio_postgres::Error) -> ServerError {
        match error.as_db_error() {
            Some(db) => ServerError {
                code: Some(db.code().code().to_string()),
                message: db.message().to_string(),
                detail: db.detail().map(str::to_string),
                hint: db.hint().map(str::to_string),
                position: match db.position() {
                    Some(tokio_postgres::error::ErrorPosition::Original(p)) => Some(*p),
                    Some(tokio_postgres::error::ErrorPosition::Internal { position, .. }) => {
                        Some(*position)
                    }
                    None => None,
                },
            },
            None => ServerError {
                code: error.code().map(|c| c.code().to_string()),
                message: with_causes(error),
                detail: None,
                hint: None,
                position: None,
            },
        }
    }

    /// Replaces every occurrence of `secret` in the text fields. Used on
    /// connection errors, so that no echo of a password can leak.
    pub(crate) fn redact(mut self, secret: &str) -> ServerError {
        // Very short strings would mangle ordinary words; no server message
        // quotes a password anyway, this is belt and braces.
        if secret.chars().count() < 4 {
            return self;
        }
        let scrub = |s: &mut String| {
            if s.contains(secret) {
                *s = s.replace(secret, "****");
            }
        };
        scrub(&mut self.message);
        if let Some(d) = &mut self.detail {
            scrub(d);
        }
        if let Some(h) = &mut self.hint {
            scrub(h);
        }
        self
    }
}

/// The error's text followed by its causes (`error connecting to server:
/// Connection refused (os error 111)`): the driver's own text stops short of
/// the reason.
fn with_causes(error: &tokio_postgres::Error) -> String {
    let mut text = error.to_string();
    let mut cause = std::error::Error::source(error);
    while let Some(c) = cause {
        let more = c.to_string();
        if !text.contains(&more) {
            text.push_str(": ");
            text.push_str(&more);
        }
        cause = c.source();
    }
    text
}

impl fmt::Display for ServerError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)?;
        if let Some(code) = &self.code {
            write!(f, " (SQLSTATE {code})")?;
        }
        if let Some(detail) = &self.detail {
            write!(f, "; detail: {detail}")?;
        }
        if let Some(hint) = &self.hint {
            write!(f, "; hint: {hint}")?;
        }
        Ok(())
    }
}
