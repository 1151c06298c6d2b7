//! Shadow databases: SQL files become a [`Schema`] by applying them to a
//! throw-away database and introspecting the result.
//!
//! The server does the parsing, so whatever PostgreSQL accepts is understood
//! exactly as PostgreSQL understands it (no SQL parser of our own to drift).
//! The database is created on the server named by a "dev URL", is called
//! `strata_shadow_<pid>_<nanos>_<n>`, and is dropped afterwards whatever happens.
//!
//! "Whatever happens" includes an interrupted run: a future that is dropped
//! half-way (Ctrl-C in the CLI) cannot clean up after itself, so every shadow
//! database is registered while it exists and [`drop_abandoned`] drops what
//! a cancelled run left.

mod statements;

use crate::connect::{connect, mask_url};
use crate::error::ServerError;
use std::path::PathBuf;
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::Mutex;
use std::time::{SystemTime, UNIX_EPOCH};
use strata_schema::{Filter, Schema};

/// One SQL file to apply: its path (for error messages) and its text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SqlFile {
    pub path: PathBuf,
    pub text: String,
}

/// A position in a file, both 1-based, plus the byte offset it points at
/// (for editors and for snippets in error reports).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FilePosition {
    pub line: usize,
    pub column: usize,
    pub byte_offset: usize,
}

impl FilePosition {
    /// Converts the server's error position (a 1-based *character* offset into
    /// the query text) into line and column. `None` when it is out of range.
    ///
    /// ```
    /// use strata_postgres::shadow::FilePosition;
    /// let p = FilePosition::from_char_offset("SELECT 1;\nSELEC é;", 11).unwrap();
    /// assert_eq!((p.line, p.column, p.byte_offset), (2, 1, 10));
    /// ```
    pub fn from_char_offset(text: &str, offset: usize) -> Option<FilePosition> {
        let index = offset.checked_sub(1)?;
        let (byte_offset, _) = text.char_indices().nth(index)?;
        let before = &text[..byte_offset];
        let line = before.matches('\n').count() + 1;
        let line_start = before.rfind('\n').map_or(0, |i| i + 1);
        let column = text[line_start..byte_offset].chars().count() + 1;
        Some(FilePosition {
            line,
            column,
            byte_offset,
        })
    }
}

/// The server's error position as an offset into the text that was sent
/// (1-based characters). Positions inside server-generated queries (e.g. in a
/// function body) are not offsets into the file, so they are left out.
fn original_position(error: &tokio_postgres::Error) -> Option<usize> {
    match error.as_db_error()?.position()? {
        tokio_postgres::error::ErrorPosition::Original(p) => usize::try_from(*p).ok(),
        tokio_postgres::error::ErrorPosition::Internal { .. } => None,
    }
}

/// Why SQL files could not be turned into a schema.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ShadowError {
    /// The dev server could not be reached; the error shows the URL with its
    /// password masked and the server's reason.
    #[error(transparent)]
    Connect(Box<crate::Error>),
    /// The dev URL is not a `postgres://` URL whose database can be swapped.
    #[error("the dev URL {url} is not a postgres:// or postgresql:// URL")]
    BadDevUrl { url: String },
    /// The shadow database could not be created (e.g. no CREATEDB privilege).
    #[error("could not create the shadow database {database} on {url}: {server}")]
    Create {
        url: String,
        database: String,
        server: Box<ServerError>,
    },
    /// A file failed when applied; `position` is set when the server said where.
    #[error("{path}{}: {server}", position.map(|p| format!(":{}:{}", p.line, p.column)).unwrap_or_default(), path = path.display())]
    Apply {
        path: PathBuf,
        position: Option<FilePosition>,
        server: Box<ServerError>,
    },
    /// The shadow database could not be read back.
    #[error("could not introspect the shadow database")]
    Introspect(#[source] Box<crate::Error>),
    /// Everything worked but the shadow database could not be dropped; it has
    /// to be dropped by hand.
    #[error("could not drop the shadow database {database} on {url}; drop it by hand: {server}")]
    Drop {
        url: String,
        database: String,
        server: Box<ServerError>,
    },
}

/// Applies `files` in order (each file as one batch) to a fresh shadow
/// database on the server at `dev_url`, introspects it with `filter`, and
/// drops it, also when applying or introspecting failed.
///
/// `dev_url` is any database on that server the user may connect to (usually
/// `.../postgres`); the user needs the CREATEDB privilege.
pub async fn load_sql(
    dev_url: &str,
    files: &[SqlFile],
    filter: &Filter,
) -> Result<Schema, ShadowError> {
    let masked = mask_url(dev_url);
    let database = shadow_name();
    let shadow_url = with_database(dev_url, &database).ok_or_else(|| ShadowError::BadDevUrl {
        url: masked.clone(),
    })?;
    let admin = connect(dev_url)
        .await
        .map_err(|e| ShadowError::Connect(Box::new(e)))?;
    // template0: the shadow starts truly empty, whatever template1 holds.
    admin
        .batch_execute(&format!(
            "CREATE DATABASE {} TEMPLATE template0",
            crate::quote::ident(&database)
        ))
        .await
        .map_err(|e| ShadowError::Create {
            url: masked.clone(),
            database: database.clone(),
            server: Box::new(ServerError::from_driver(&e)),
        })?;

    let live = Live::register(dev_url, &database);
    let result = apply_and_introspect(&shadow_url, files, filter).await;
    let dropped = drop_database(&admin, &database).await;
    live.release();
    match (result, dropped) {
        (Err(e), _) => Err(e),
        (Ok(_), Err(server)) => Err(ShadowError::Drop {
            url: masked,
            database,
            server: Box::new(server),
        }),
        (Ok(schema), Ok(())) => Ok(schema),
    }
}

/// The part of [`load_sql`] that runs inside the shadow database; its client
/// is dropped (connection closed) before the database is dropped.
async fn apply_and_introspect(
    shadow_url: &str,
    files: &[SqlFile],
    filter: &Filter,
) -> Result<Schema, ShadowError> {
    let client = connect(shadow_url)
        .await
        .map_err(|e| ShadowError::Connect(Box::new(e)))?;
    for file in files {
        // One batch per file: the file runs as one implicit transaction, and
        // the server's error position is an offset into the file's text.
        if let Err(e) = client.batch_execute(&file.text).await {
            let server = ServerError::from_driver(&e);
            let offset = match original_position(&e) {
                Some(p) => Some(p),
                None => locate_failure(&client, &file.text, server.code.as_deref()).await,
            };
            let position = offset.and_then(|p| FilePosition::from_char_offset(&file.text, p));
            return Err(ShadowError::Apply {
                path: file.path.clone(),
                position,
                server: Box::new(server),
            });
        }
    }
    crate::introspect::introspect(&client, filter)
        .await
        .map_err(|e| ShadowError::Introspect(Box::new(e)))
}

/// For an error the server gave no position for: replays the file statement
/// by statement (in one transaction, as the batch ran, then rolled back) and
/// returns the 1-based character offset of the failure: the server's position
/// within the failing statement, or the statement's start. `None` when the
/// replay does not fail the same way (same SQLSTATE).
async fn locate_failure(
    client: &tokio_postgres::Client,
    text: &str,
    code: Option<&str>,
) -> Option<usize> {
    // Without a SQLSTATE (a lost connection), a replay proves nothing.
    let code = code?;
    client.batch_execute("BEGIN").await.ok()?;
    let mut found = None;
    for range in statements::split(text) {
        let Err(e) = client.batch_execute(&text[range.clone()]).await else {
            continue;
        };
        if e.code().map(|c| c.code()) == Some(code) {
            let before = text[..range.start].chars().count();
            found = Some(before + original_position(&e).unwrap_or(1));
        }
        break;
    }
    // The shadow database is thrown away anyway; rolling back keeps the
    // session usable should the caller go on.
    let _ = client.batch_execute("ROLLBACK").await;
    found
}

/// Shadow databases that exist right now: (dev URL, database name).
static LIVE: Mutex<Vec<(String, String)>> = Mutex::new(Vec::new());

/// A registered shadow database; released once it has been dropped.
struct Live {
    database: String,
}

impl Live {
    fn register(dev_url: &str, database: &str) -> Live {
        if let Ok(mut live) = LIVE.lock() {
            live.push((dev_url.to_string(), database.to_string()));
        }
        Live {
            database: database.to_string(),
        }
    }

    fn release(self) {
        if let Ok(mut live) = LIVE.lock() {
            live.retain(|(_, d)| *d != self.database);
        }
    }
}

/// Drops the shadow databases of runs that were cancelled before they could
/// drop their own (a dropped [`load_sql`] future), and returns their names.
/// Call it after cancelling work, e.g. on Ctrl-C, before the process exits.
/// A database that cannot be dropped stays registered and is not returned.
pub async fn drop_abandoned() -> Vec<String> {
    let abandoned: Vec<(String, String)> = match LIVE.lock() {
        Ok(live) => live.clone(),
        Err(_) => return Vec::new(),
    };
    let mut dropped = Vec::new();
    for (dev_url, database) in abandoned {
        let Ok(admin) = connect(&dev_url).await else {
            continue;
        };
        if drop_database(&admin, &database).await.is_ok() {
            Live {
                database: database.clone(),
            }
            .release();
            dropped.push(database);
        }
    }
    dropped
}

/// Drops the shadow database. `WITH (FORCE)` (PostgreSQL 13+) ends the
/// shadow session should the server not have noticed its close yet; older
/// servers get a plain DROP, retried while that session is still going away.
async fn drop_database(admin: &tokio_postgres::Client, database: &str) -> Result<(), ServerError> {
    let name = crate::quote::ident(database);
    let forced = admin
        .batch_execute(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
        .await;
    let Err(first) = forced else {
        return Ok(());
    };
    let mut last = ServerError::from_driver(&first);
    for _ in 0..20 {
        match admin
            .batch_execute(&format!("DROP DATABASE IF EXISTS {name}"))
            .await
        {
            Ok(()) => return Ok(()),
            Err(e) => last = ServerError::from_driver(&e),
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    Err(last)
}

/// `strata_shadow_<pid>_<nanos>_<n>`: unique on one server without a
/// random-number dependency (the counter separates two shadows that one
/// process creates within the clock's resolution).
fn shadow_name() -> String {
    static COUNTER: AtomicU32 = AtomicU32::new(0);
    let nanos = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_nanos())
        .unwrap_or_default();
    let n = COUNTER.fetch_add(1, Ordering::Relaxed);
    format!("strata_shadow_{}_{nanos}_{n}", std::process::id())
}

/// The same URL with its database replaced by `database`; `None` when `url`
/// is not a `postgres://` / `postgresql://` URL.
///
/// ```
/// use strata_postgres::shadow::with_database;
/// assert_eq!(
///     with_database("postgres://u:p@h:5432/postgres?sslmode=require", "x").unwrap(),
///     "postgres://u:p@h:5432/x?sslmode=require"
/// );
/// assert_eq!(with_database("postgresql://h", "x").unwrap(), "postgresql://h/x");
/// assert!(with_database("host=h dbname=y", "x").is_none());
/// ```
pub fn with_database(url: &str, database: &str) -> Option<String> {
    let scheme_end = ["postgres://", "postgresql://"]
        .iter()
        .find(|s| url.starts_with(**s))?
        .len();
    let (base, query) = match url.find('?') {
        Some(i) => (&url[..i], &url[i..]),
        None => (url, ""),
    };
    // The authority ends at the first `/` after the scheme (a `/` inside a
    // password must be percent-encoded in a URL).
    let authority_end = base[scheme_end..]
        .find('/')
        .map_or(base.len(), |i| scheme_end + i);
    Some(format!(
        "{}/{}{}",
        &base[..authority_end],
        percent_encode(database),
        query
    ))
}

/// Percent-encodes everything but unreserved URL characters.
fn percent_encode(text: &str) -> String {
    text.bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'~') {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn positions_count_characters_not_bytes() {
        let text = "-- é\nCREATE TABLE t (x nope);";
        // `nope` is character 24 (1-based): 5 characters on line 1 incl. the newline.
        let p = FilePosition::from_char_offset(text, 24).unwrap();
        assert_eq!((p.line, p.column), (2, 19));
        assert_eq!(&text[p.byte_offset..p.byte_offset + 4], "nope");
        assert!(FilePosition::from_char_offset(text, 0).is_none());
        assert!(FilePosition::from_char_offset(text, 999).is_none());
    }

    fn file(name: &str, text: &str) -> SqlFile {
        SqlFile {
            path: PathBuf::from(name),
            text: text.to_string(),
        }
    }

    /// Tests that count leftover shadows run one at a time (one process).
    static SERIAL: tokio::sync::Mutex<()> = tokio::sync::Mutex::const_new(());

    /// Shadow databases this process left on the server.
    async fn leftovers(dev_url: &str) -> i64 {
        let admin = strata_testkit::connect_url(dev_url).await;
        let pattern = format!("strata_shadow_{}_%", std::process::id());
        admin
            .query_one(
                "SELECT count(*) FROM pg_database WHERE datname LIKE $1",
                &[&pattern],
            )
            .await
            .unwrap()
            .get(0)
    }

    #[tokio::test]
    async fn applies_files_in_order_and_reads_them_back() {
        let _serial = SERIAL.lock().await;
        let dev_url = format!("{}/postgres", strata_testkit::server().base_url);
        let files = [
            file("01.sql", "CREATE TYPE mood AS ENUM ('ok');"),
            file("02.sql", "CREATE TABLE t (id int PRIMARY KEY, m mood);"),
        ];
        let schema = load_sql(&dev_url, &files, &Filter::default())
            .await
            .unwrap();
        let t = schema.table(&strata_schema::QualifiedName::new("public", "t"));
        assert_eq!(t.map(|t| t.columns.len()), Some(2), "{schema:#?}");
        assert_eq!(schema.enums.len(), 1);
        assert_eq!(leftovers(&dev_url).await, 0);
    }

    #[tokio::test]
    async fn failure_names_file_line_column_and_still_drops_the_shadow() {
        let _serial = SERIAL.lock().await;
        let dev_url = format!("{}/postgres", strata_testkit::server().base_url);
        let files = [
            file("01.sql", "CREATE TABLE a (id int);"),
            file("02.sql", "-- é\nCREATE TABLE b (x nope);"),
            file("03.sql", "never applied"),
        ];
        let err = load_sql(&dev_url, &files, &Filter::default())
            .await
            .unwrap_err();
        let ShadowError::Apply {
            path,
            position,
            server,
        } = &err
        else {
            panic!("expected an apply error, got {err:?}");
        };
        assert_eq!(path, &PathBuf::from("02.sql"));
        assert_eq!(server.code.as_deref(), Some("42704"));
        let p = position.unwrap();
        assert_eq!((p.line, p.column), (2, 19));
        assert_eq!(
            err.to_string().split(':').take(3).collect::<Vec<_>>(),
            ["02.sql", "2", "19"]
        );
        assert_eq!(leftovers(&dev_url).await, 0);
    }

    #[tokio::test]
    async fn failure_without_server_position_is_located_by_statement() {
        let _serial = SERIAL.lock().await;
        let dev_url = format!("{}/postgres", strata_testkit::server().base_url);
        let text =
            "CREATE TABLE a (id int PRIMARY KEY);\n\n  CREATE TABLE b (a int REFERENCES a (nope));";
        let err = load_sql(&dev_url, &[file("x.sql", text)], &Filter::default())
            .await
            .unwrap_err();
        let ShadowError::Apply { position, .. } = &err else {
            panic!("expected an apply error, got {err:?}");
        };
        let p = position.unwrap();
        assert_eq!((p.line, p.column), (3, 3));
    }

    #[tokio::test]
    async fn unreachable_dev_server_is_a_connect_error_with_masked_url() {
        let err = load_sql(
            "postgres://me:secret@127.0.0.1:1/postgres",
            &[file("x.sql", "SELECT 1")],
            &Filter::default(),
        )
        .await
        .unwrap_err();
        assert!(matches!(err, ShadowError::Connect(_)), "{err:?}");
        assert!(!err.to_string().contains("secret"), "{err}");
    }

    #[test]
    fn shadow_names_are_plain_identifiers() {
        let n = shadow_name();
        assert!(n.starts_with("strata_shadow_"));
        assert!(n.chars().all(|c| c.is_ascii_alphanumeric() || c == '_'));
    }
}
