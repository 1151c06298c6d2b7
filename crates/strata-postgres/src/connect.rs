//! Connections: opening a client from a URL, and showing a URL safely.
//!
//! [`connect`] accepts what `tokio-postgres` accepts: `postgres://` /
//! `postgresql://` URLs and `key=value` connection strings, plus libpq's
//! `sslmode=verify-ca|verify-full` and `sslrootcert` (see [`crate::tls`]).
//! Every error shows the URL through [`mask_url`], so a password never
//! reaches a terminal or a log.

use crate::error::{Error, ServerError};
use crate::server_version::ServerVersion;
use crate::tls::{client_config, split_tls_params, MakeRustlsConnect};
use std::time::Duration;
use tokio_postgres::{CancelToken, Client, Config, NoTls};

/// How long to wait for a server that does not answer, when the URL does not
/// say (`connect_timeout=`): long enough for a cold serverless database, short
/// enough that a typo in a host name does not hang for the OS TCP timeout.
const DEFAULT_CONNECT_TIMEOUT: Duration = Duration::from_secs(30);

/// Opens a connection and spawns the task that drives it (on the current
/// tokio runtime); the task ends when the returned client is dropped.
///
/// Errors name the URL with its password masked and give the server's reason
/// (`password authentication failed ... (SQLSTATE 28P01)`, `database "x" does
/// not exist (SQLSTATE 3D000)`, `Connection refused`).
pub async fn connect(url: &str) -> Result<Client, Error> {
    let masked = mask_url(url);
    let (driver_url, tls) = tls_of(url)?;
    let mut config: Config =
        driver_url
            .parse()
            .map_err(|e: tokio_postgres::Error| Error::InvalidUrl {
                url: masked.clone(),
                reason: redacted(url, &e).message,
            })?;
    if config.get_connect_timeout().is_none() {
        config.connect_timeout(DEFAULT_CONNECT_TIMEOUT);
    }
    let connect_error = |e: tokio_postgres::Error| Error::Connect {
        url: masked.clone(),
        server: Box::new(redacted(url, &e)),
    };
    // The connection task ends when the client is dropped; the client sees
    // a closed connection as an error on its next call, so the task's own
    // result carries nothing more.
    let client = match tls {
        None => {
            let (client, connection) = config.connect(NoTls).await.map_err(connect_error)?;
            tokio::spawn(async move {
                let _ = connection.await;
            });
            client
        }
        Some(tls) => {
            let (client, connection) = config
                .connect(MakeRustlsConnect::new(tls))
                .await
                .map_err(connect_error)?;
            tokio::spawn(async move {
                let _ = connection.await;
            });
            client
        }
    };
    Ok(client)
}

/// Asks the server to cancel the statement running on the connection that
/// `token` came from, encrypted when `url` asks for TLS, as [`connect`]
/// connected. (Without a TLS connector, the driver refuses to send the
/// cancel of an `sslmode=require` connection at all.)
pub async fn cancel_query(url: &str, token: &CancelToken) -> Result<(), Error> {
    let (_, tls) = tls_of(url)?;
    let sent = match tls {
        None => token.cancel_query(NoTls).await,
        Some(tls) => token.cancel_query(MakeRustlsConnect::new(tls)).await,
    };
    sent.map_err(|e| Error::Connect {
        url: mask_url(url),
        server: Box::new(redacted(url, &e)),
    })
}

/// The driver's URL (TLS parameters taken out) and the TLS configuration
/// `url` asks for, if any.
fn tls_of(url: &str) -> Result<(String, Option<std::sync::Arc<rustls::ClientConfig>>), Error> {
    let tls_error = |e: crate::tls::TlsError| Error::Tls {
        url: mask_url(url),
        reason: e.to_string(),
    };
    let (driver_url, params) = split_tls_params(url).map_err(tls_error)?;
    Ok((driver_url, client_config(&params).map_err(tls_error)?))
}

/// A driver error's fields, with every password of `url` scrubbed out.
fn redacted(url: &str, error: &tokio_postgres::Error) -> ServerError {
    passwords_in(url)
        .iter()
        .fold(ServerError::from_driver(error), |server, secret| {
            server.redact(secret)
        })
}

/// The version of the server `client` is connected to.
///
/// ```no_run
/// # async fn f(client: &tokio_postgres::Client) -> Result<(), strata_postgres::Error> {
/// let version = strata_postgres::connect::server_version(client).await?;
/// println!("PostgreSQL {version}");
/// # Ok(()) }
/// ```
pub async fn server_version(client: &Client) -> Result<ServerVersion, Error> {
    let row = client
        .query_one("SELECT current_setting('server_version_num')", &[])
        .await
        .map_err(|e| Error::query("could not read the server version", &e))?;
    let text: String = row.get(0);
    ServerVersion::parse(&text)
        .ok_or_else(|| Error::Catalog(format!("unreadable server_version_num: {text:?}")))
}

/// The URL with its password replaced by `****`, for messages and logs.
/// Handles the password in the user-info part, a `password=` query
/// parameter, and `password=` in a `key=value` connection string. When in
/// doubt it masks more, never less.
///
/// ```
/// use strata_postgres::connect::mask_url;
/// assert_eq!(mask_url("postgres://app:s3cret@db:5432/shop"), "postgres://app:****@db:5432/shop");
/// assert_eq!(mask_url("postgres://db/shop?user=app&password=s3cret"), "postgres://db/shop?user=app&password=****");
/// assert_eq!(mask_url("host=db password='s 3' dbname=shop"), "host=db password=**** dbname=shop");
/// assert_eq!(mask_url("postgres://app@db/shop"), "postgres://app@db/shop");
/// ```
pub fn mask_url(url: &str) -> String {
    split_url(url).0
}

/// Every spelling of the password(s) in `url` (raw and percent-decoded), to
/// scrub from error texts.
fn passwords_in(url: &str) -> Vec<String> {
    let mut found = split_url(url).1;
    let decoded: Vec<String> = found.iter().filter_map(|p| percent_decode(p)).collect();
    found.extend(decoded);
    found.retain(|p| !p.is_empty());
    found
}

/// Returns the masked text and the password texts it hid.
fn split_url(url: &str) -> (String, Vec<String>) {
    let scheme_end = ["postgresql://", "postgres://"]
        .iter()
        .find(|s| url.starts_with(*s))
        .map(|s| s.len());
    match scheme_end {
        Some(start) => split_uri(url, start),
        None => split_key_values(url),
    }
}

fn split_uri(url: &str, start: usize) -> (String, Vec<String>) {
    let mut secrets = Vec::new();
    let rest = &url[start..];
    let query_start = rest.find('?').unwrap_or(rest.len());
    // The user info ends at the last `@` before the query: a password may
    // hold `/` or `:` even though it should be percent-encoded.
    let mut out = url[..start].to_string();
    let (before_query, query) = rest.split_at(query_start);
    match before_query.rfind('@') {
        Some(at) => {
            let userinfo = &before_query[..at];
            match userinfo.split_once(':') {
                Some((user, password)) => {
                    out.push_str(user);
                    out.push_str(":****");
                    secrets.push(password.to_string());
                }
                None => out.push_str(userinfo),
            }
            out.push_str(&before_query[at..]);
        }
        None => out.push_str(before_query),
    }
    if let Some(params) = query.strip_prefix('?') {
        out.push('?');
        let masked: Vec<String> = params
            .split('&')
            .map(|pair| match pair.split_once('=') {
                Some((key, value)) if key == "password" => {
                    secrets.push(value.to_string());
                    format!("{key}=****")
                }
                _ => pair.to_string(),
            })
            .collect();
        out.push_str(&masked.join("&"));
    }
    (out, secrets)
}

/// `key=value` connection strings (values optionally single-quoted, with
/// backslash escapes), re-written with the password masked.
fn split_key_values(text: &str) -> (String, Vec<String>) {
    let mut out = String::with_capacity(text.len());
    let mut secrets = Vec::new();
    let mut chars = text.char_indices().peekable();
    while let Some(&(_, c)) = chars.peek() {
        if c.is_whitespace() {
            out.push(c);
            chars.next();
            continue;
        }
        // Key.
        let mut key = String::new();
        while let Some(&(_, c)) = chars.peek() {
            if c == '=' || c.is_whitespace() {
                break;
            }
            key.push(c);
            chars.next();
        }
        out.push_str(&key);
        while let Some(&(_, c)) = chars.peek() {
            if !c.is_whitespace() {
                break;
            }
            out.push(c);
            chars.next();
        }
        if chars.peek().map(|&(_, c)| c) != Some('=') {
            // Not a key=value text we understand: hide everything after a
            // mention of a password rather than risk showing it.
            return mask_after_password(text, secrets);
        }
        out.push('=');
        chars.next();
        while let Some(&(_, c)) = chars.peek() {
            if !c.is_whitespace() {
                break;
            }
            out.push(c);
            chars.next();
        }
        // Value.
        let mut raw = String::new();
        let mut value = String::new();
        if chars.peek().map(|&(_, c)| c) == Some('\'') {
            raw.push('\'');
            chars.next();
            let mut closed = false;
            while let Some((_, c)) = chars.next() {
                raw.push(c);
                match c {
                    '\\' => {
                        if let Some((_, n)) = chars.next() {
                            raw.push(n);
                            value.push(n);
                        }
                    }
                    '\'' => {
                        closed = true;
                        break;
                    }
                    _ => value.push(c),
                }
            }
            if !closed {
                return mask_after_password(text, secrets);
            }
        } else {
            while let Some(&(_, c)) = chars.peek() {
                if c.is_whitespace() {
                    break;
                }
                raw.push(c);
                value.push(c);
                chars.next();
            }
        }
        if key == "password" {
            out.push_str("****");
            secrets.push(value);
        } else {
            out.push_str(&raw);
        }
    }
    (out, secrets)
}

fn mask_after_password(text: &str, mut secrets: Vec<String>) -> (String, Vec<String>) {
    match text.find("password") {
        Some(i) => {
            let after = text[i + "password".len()..]
                .trim_start_matches(|c: char| c == '=' || c.is_whitespace());
            secrets.push(after.trim_matches('\'').to_string());
            (format!("{}password=****", &text[..i]), secrets)
        }
        None => (text.to_string(), secrets),
    }
}

/// Decodes `%XX` escapes; `None` when there are none or they are malformed.
fn percent_decode(text: &str) -> Option<String> {
    if !text.contains('%') {
        return None;
    }
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = text.get(i + 1..i + 3)?;
            out.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).ok()
}

#[cfg(test)]
mod tests {
    use super::{mask_url, passwords_in};

    #[test]
    fn masks_every_password_spelling() {
        assert_eq!(
            mask_url("postgresql://u:p%40ss@h/d?sslmode=disable"),
            "postgresql://u:****@h/d?sslmode=disable"
        );
        assert_eq!(
            passwords_in("postgresql://u:p%40ss@h/d"),
            ["p%40ss", "p@ss"]
        );
        // An unencoded `/` in the password must not end the user info early.
        assert_eq!(mask_url("postgres://u:a/b@h/d"), "postgres://u:****@h/d");
        assert_eq!(mask_url("postgres://h/d"), "postgres://h/d");
        assert_eq!(
            mask_url(r"host=h password='it\'s' user=u"),
            "host=h password=**** user=u"
        );
        assert_eq!(passwords_in(r"password='it\'s'"), ["it's"]);
        assert_eq!(mask_url("host=h password"), "host=h password=****");
        assert_eq!(mask_url("host=h password='open"), "host=h password=****");
    }
}
