//! Errors as the user sees them: what went wrong, where (a file position with
//! a snippet when there is one), and what to do. Library errors are turned
//! into these here, and only here.

use miette::{Diagnostic, LabeledSpan, NamedSource, SourceSpan};
use std::fmt;
use std::path::Path;
use strata_postgres::shadow::{FilePosition, ShadowError};
use strata_postgres::source::SourceError;
use strata_schema::{DiffError, SnapshotError};

/// One failure, ready for miette.
#[derive(Debug)]
pub struct CliError {
    /// What went wrong, in one line.
    pub message: String,
    /// A short machine-greppable code (`strata::…` or a SQLSTATE).
    pub code: Option<String>,
    /// What to do about it.
    pub help: Option<String>,
    /// Why, outermost first (e.g. the server's reason).
    pub causes: Option<Box<Cause>>,
    /// The file the error points into, with the span to underline.
    pub snippet: Option<Box<(NamedSource<String>, LabeledSpan)>>,
}

/// One line of an error's cause chain.
#[derive(Debug)]
pub struct Cause {
    text: String,
    next: Option<Box<Cause>>,
}

impl fmt::Display for Cause {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text)
    }
}

impl std::error::Error for Cause {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        self.next.as_deref().map(|c| c as _)
    }
}

impl fmt::Display for CliError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for CliError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        self.causes.as_deref().map(|c| c as _)
    }
}

impl Diagnostic for CliError {
    fn code<'a>(&'a self) -> Option<Box<dyn fmt::Display + 'a>> {
        self.code.as_ref().map(|c| Box::new(c) as _)
    }

    fn help<'a>(&'a self) -> Option<Box<dyn fmt::Display + 'a>> {
        self.help.as_ref().map(|h| Box::new(h) as _)
    }

    fn source_code(&self) -> Option<&dyn miette::SourceCode> {
        self.snippet.as_deref().map(|(s, _)| s as _)
    }

    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        self.snippet
            .as_deref()
            .map(|(_, l)| Box::new(std::iter::once(l.clone())) as _)
    }
}

impl CliError {
    pub fn new(code: &str, message: impl Into<String>) -> Self {
        Self {
            message: message.into(),
            code: Some(code.to_string()),
            help: None,
            causes: None,
            snippet: None,
        }
    }

    pub fn help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }

    /// Sets the hint unless a more specific one is already there.
    pub fn help_or(mut self, help: impl Into<String>) -> Self {
        if self.help.is_none() {
            self.help = Some(help.into());
        }
        self
    }

    /// Adds causes (outermost first); empty and repeated lines are skipped.
    pub fn causes<I: IntoIterator<Item = String>>(mut self, causes: I) -> Self {
        let mut lines: Vec<String> = Vec::new();
        for line in causes {
            let line = line.trim().to_string();
            if !line.is_empty() && !lines.contains(&line) && line != self.message {
                lines.push(line);
            }
        }
        self.causes = lines
            .into_iter()
            .rev()
            .fold(None, |next, text| Some(Box::new(Cause { text, next })));
        self
    }

    /// Points into a file: `byte_offset` is underlined (the word there).
    fn snippet(mut self, path: &Path, text: String, byte_offset: usize, label: &str) -> Self {
        let start = byte_offset.min(text.len());
        let word = text[start..]
            .char_indices()
            .find(|(_, c)| !(c.is_alphanumeric() || *c == '_'))
            .map_or(text.len() - start, |(i, _)| i);
        let len = if word == 0 {
            text[start..].chars().next().map_or(0, char::len_utf8)
        } else {
            word
        };
        let span = SourceSpan::new(start.into(), len);
        self.snippet = Some(Box::new((
            NamedSource::new(path.display().to_string(), text),
            LabeledSpan::new_primary_with_span(Some(label.to_string()), span),
        )));
        self
    }
}

/// A connection failure: the (masked) URL, then the server's or the OS's reason.
fn from_connect(flag: &str, what: &str, error: &strata_postgres::Error) -> CliError {
    match error {
        strata_postgres::Error::Tls { url, reason } => CliError {
            help: Some(
                "sslmode is one of disable, allow, prefer, require, verify-ca, verify-full; \
                 verify-ca and verify-full need sslrootcert=/path/to/root.crt (a PEM file), \
                 sslrootcert=system, or ~/.postgresql/root.crt"
                    .to_string(),
            ),
            ..CliError::new(
                "strata::tls",
                format!("{flag}: TLS settings of {what}{url}"),
            )
            .causes([reason.clone()])
        },
        strata_postgres::Error::Connect { url, server } => {
            let report = CliError::new(
                "strata::connect",
                format!("{flag}: could not connect to {what}{url}"),
            )
            .causes([server.to_string()]);
            if server.message.contains("invalid peer certificate") {
                // The server's certificate failed sslmode=verify-ca/verify-full.
                report.help(
                    "the server's certificate is not trusted or not issued for this host: give \
                     its CA with sslrootcert=/path/to/root.crt, connect with the host name the \
                     certificate names (verify-full), or use sslmode=require to encrypt \
                     without verifying",
                )
            } else {
                report
            }
        }
        strata_postgres::Error::InvalidUrl { url, reason } => {
            CliError::new("strata::url", format!("{flag}: invalid URL {what}{url}"))
                .causes([reason.clone()])
        }
        other => CliError::new("strata::connect", format!("{flag}: {other}")).causes(chain(other)),
    }
}

/// The reasons behind a library error: what the server said when it said
/// something, else the error's own text and causes.
fn reasons(error: &strata_postgres::Error) -> Vec<String> {
    match error.server() {
        Some(server) => vec![error.to_string(), server.to_string()],
        None => std::iter::once(error.to_string())
            .chain(chain(error))
            .collect(),
    }
}

/// Every message of an error's source chain, outermost first.
fn chain(error: &dyn std::error::Error) -> Vec<String> {
    let mut lines = Vec::new();
    let mut next = error.source();
    while let Some(e) = next {
        lines.push(e.to_string());
        next = e.source();
    }
    lines
}

const SRC_KINDS: &str = "a source is a postgres:// URL, a .sql file, a folder of .sql files, or a snapshot .json written by `strata inspect`";

/// Turns a source error into a report; `flag` is the option that named the
/// source (`--from`, `--to`).
pub fn from_source(flag: &str, error: SourceError) -> CliError {
    match error {
        SourceError::NotFound { path } => CliError::new(
            "strata::source::not_found",
            format!("{flag} {}: no such file or folder", path.display()),
        )
        .help(format!("check the path; {SRC_KINDS}")),
        SourceError::UnknownKind { path } => CliError::new(
            "strata::source::unknown_kind",
            format!("{flag} {}: not a schema source", path.display()),
        )
        .help(SRC_KINDS),
        SourceError::EmptyFolder { path } => CliError::new(
            "strata::source::empty_folder",
            format!(
                "{flag} {}: the folder contains no .sql files",
                path.display()
            ),
        )
        .help("point at the folder that holds your schema's .sql files"),
        SourceError::NeedsDevUrl { path } => CliError::new(
            "strata::source::needs_dev_url",
            format!(
                "{flag} {} is SQL, and reading SQL needs a PostgreSQL server",
                path.display()
            ),
        )
        .help(
            "pass --dev-url postgres://USER@HOST/postgres or set STRATA_DEV_URL, or start the \
             project's dev database with `strata dev start` (used when no --dev-url is given): \
             Strata creates a throw-away database there, applies the SQL, reads it back and \
             drops it",
        ),
        SourceError::Connect(e) => from_connect(flag, "", &e).help_or(
            "check that the server is running and reachable, and that the user, password and \
             database in the URL are right",
        ),
        SourceError::Introspect { url, source } => CliError::new(
            "strata::introspect",
            format!("{flag}: could not read the schema of {url}"),
        )
        .causes(reasons(&source))
        .help("the user in the URL needs to be able to read the catalog of that database"),
        SourceError::Snapshot { path, source } => from_snapshot(flag, &path, source),
        SourceError::Shadow(e) => from_shadow(flag, e),
        SourceError::Io { path, source } => CliError::new(
            "strata::source::io",
            format!("{flag}: could not read {}", path.display()),
        )
        .causes([source.to_string()])
        .help("check the path and its permissions"),
        other => {
            let causes = chain(&other);
            CliError::new("strata::source", format!("{flag}: {other}")).causes(causes)
        }
    }
}

fn from_snapshot(flag: &str, path: &Path, error: SnapshotError) -> CliError {
    match error {
        SnapshotError::Malformed {
            line,
            column,
            message,
        } => {
            let mut report = CliError::new(
                "strata::snapshot::malformed",
                format!(
                    "{flag} {}:{line}:{column}: malformed snapshot JSON",
                    path.display()
                ),
            )
            .causes([message])
            .help(
                "a snapshot is the JSON written by `strata inspect --format json`; fix the file \
                 or write it again",
            );
            if let Ok(text) = std::fs::read_to_string(path) {
                let offset = line_column_offset(&text, line, column);
                report = report.snippet(path, text, offset, "here");
            }
            report
        }
        SnapshotError::NewerVersion { found } => CliError::new(
            "strata::snapshot::newer_version",
            format!(
                "{flag} {}: snapshot format version {found} is newer than this strata reads (up to {})",
                path.display(),
                strata_schema::SNAPSHOT_VERSION
            ),
        )
        .help("the snapshot was written by a newer Strata: upgrade strata to read it"),
        other => CliError::new(
            "strata::snapshot",
            format!("{flag} {}: {other}", path.display()),
        )
        .help("a snapshot is the JSON written by `strata inspect --format json`"),
    }
}

fn from_shadow(flag: &str, error: ShadowError) -> CliError {
    match error {
        ShadowError::Apply {
            path,
            position,
            server,
        } => {
            let at = position.map_or(String::new(), |p: FilePosition| {
                format!(":{}:{}", p.line, p.column)
            });
            let mut report = CliError {
                message: format!("{}{at}: {}", path.display(), server.message),
                code: server.code.as_ref().map(|c| format!("SQLSTATE {c}")),
                help: Some(server.hint.clone().unwrap_or_else(|| {
                    format!(
                        "fix the SQL in this file (source of {flag}); each file is applied as one \
                         batch to a throw-away shadow database on the --dev-url server"
                    )
                })),
                causes: None,
                snippet: None,
            };
            if let Some(detail) = &server.detail {
                report = report.causes([detail.clone()]);
            }
            if let (Some(p), Ok(text)) = (position, std::fs::read_to_string(&path)) {
                report = report.snippet(&path, text, p.byte_offset, &server.message);
            }
            report
        }
        ShadowError::Connect(e) => from_connect(flag, "the dev server ", &e).help_or(
            "--dev-url (or STRATA_DEV_URL) must name a reachable PostgreSQL server where this \
             user may create databases, e.g. postgres://USER@HOST/postgres",
        ),
        ShadowError::Introspect(e) => CliError::new(
            "strata::shadow::introspect",
            format!("{flag}: could not read back the shadow database"),
        )
        .causes(reasons(&e)),
        ShadowError::BadDevUrl { url } => CliError::new(
            "strata::shadow::dev_url",
            format!("{flag}: --dev-url {url} is not a postgres:// URL"),
        )
        .help("write the dev URL as postgres://USER:PASSWORD@HOST:PORT/DATABASE"),
        ShadowError::Create {
            url,
            database,
            server,
        } => CliError::new(
            "strata::shadow::create",
            format!("{flag}: could not create the shadow database {database} on {url}"),
        )
        .causes([server.to_string()])
        .help("the --dev-url user needs the CREATEDB privilege (ALTER ROLE … CREATEDB)"),
        ShadowError::Drop {
            url,
            database,
            server,
        } => CliError::new(
            "strata::shadow::drop",
            format!("{flag}: could not drop the shadow database {database} on {url}"),
        )
        .causes([server.to_string()])
        .help(format!("drop it by hand: DROP DATABASE {database};")),
        other => {
            let causes = chain(&other);
            CliError::new("strata::shadow", format!("{flag}: {other}")).causes(causes)
        }
    }
}

/// Byte offset of a 1-based line and (byte) column, clamped to the text.
fn line_column_offset(text: &str, line: usize, column: usize) -> usize {
    let line_start: usize = text
        .split_inclusive('\n')
        .take(line.saturating_sub(1))
        .map(str::len)
        .sum();
    let offset = (line_start + column.saturating_sub(1)).min(text.len());
    // Step back to a character boundary.
    (0..=offset)
        .rev()
        .find(|&i| text.is_char_boundary(i))
        .unwrap_or(0)
}

/// A diff that could not be computed (e.g. a rename hint naming nothing).
pub fn from_diff(error: DiffError) -> CliError {
    let causes = chain(&error);
    CliError::new("strata::diff", error.to_string())
        .causes(causes)
        .help(
            "a --rename names the object as it is in the --from schema: KIND:SCHEMA.NAME=NEW_NAME \
             (columns: column:SCHEMA.TABLE.COLUMN=NEW_NAME)",
        )
}

/// An invalid `--rename` value.
pub fn bad_rename(value: &str, reason: String) -> CliError {
    CliError::new(
        "strata::rename::invalid",
        format!("invalid --rename `{value}`"),
    )
    .causes([reason])
    .help(
        "write KIND:OLD=NEW, e.g. --rename column:public.users.full_name=name or \
         --rename table:public.people=users; KIND is one of table, column, enum, enum_value, \
         index, constraint, view, schema",
    )
}

#[cfg(test)]
mod tests {
    use super::line_column_offset;

    #[test]
    fn line_column_to_offset() {
        let text = "{\n  \"a\": x\n}";
        assert_eq!(&text[line_column_offset(text, 2, 8)..][..1], "x");
        assert_eq!(line_column_offset(text, 9, 9), text.len());
    }
}
