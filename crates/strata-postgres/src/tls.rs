//! TLS for connections, with libpq's `sslmode` meanings:
//!
//! | sslmode       | encrypts            | checks the certificate chain | checks the host name |
//! |---------------|---------------------|------------------------------|----------------------|
//! | `disable`     | no                  | –                            | –                    |
//! | `allow`, `prefer` (default) | when the server offers it | no             | no                   |
//! | `require`     | yes                 | no (yes with `sslrootcert`)  | no                   |
//! | `verify-ca`   | yes                 | yes                          | no                   |
//! | `verify-full` | yes                 | yes                          | yes                  |
//!
//! `prefer` and `require` do not verify the certificate, exactly as libpq:
//! servers with self-signed certificates (RDS, many self-hosted ones) accept
//! `sslmode=require` connections. As in libpq, `require` with an explicit
//! `sslrootcert` verifies the chain like `verify-ca`.
//!
//! `sslrootcert` is a PEM file of trusted certificates, or `system` for the
//! operating system's bundle; without it `verify-ca` / `verify-full` read
//! `~/.postgresql/root.crt` like libpq. The host name is sent as SNI (Neon
//! routes on it). `tokio-postgres` only knows `disable|prefer|require` and no
//! `sslrootcert`, so [`split_tls_params`] takes them out of the URL first.

use rustls::client::danger::{HandshakeSignatureValid, ServerCertVerified, ServerCertVerifier};
use rustls::client::WebPkiServerVerifier;
use rustls::crypto::{ring, CryptoProvider};
use rustls::pki_types::pem::PemObject;
use rustls::pki_types::{CertificateDer, ServerName, UnixTime};
use rustls::{
    CertificateError, ClientConfig, DigitallySignedStruct, RootCertStore, SignatureScheme,
};
use std::future::Future;
use std::io;
use std::path::{Path, PathBuf};
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};
use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio_postgres::tls::{ChannelBinding, MakeTlsConnect, TlsConnect};

/// libpq's `sslmode`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SslMode {
    Disable,
    /// `allow` and `prefer`: TLS when the server offers it, unverified.
    Prefer,
    Require,
    VerifyCa,
    VerifyFull,
}

impl SslMode {
    /// Parses libpq's spelling.
    pub fn parse(text: &str) -> Option<SslMode> {
        Some(match text {
            "disable" => SslMode::Disable,
            "allow" | "prefer" => SslMode::Prefer,
            "require" => SslMode::Require,
            "verify-ca" => SslMode::VerifyCa,
            "verify-full" => SslMode::VerifyFull,
            _ => return None,
        })
    }
}

/// Where trusted root certificates come from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RootCert {
    /// A PEM file.
    File(PathBuf),
    /// `sslrootcert=system`: the operating system's CA bundle.
    System,
}

/// The TLS part of a connection string.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TlsParams {
    pub mode: SslMode,
    pub root_cert: Option<RootCert>,
}

/// Why TLS could not be set up (before any connection is made).
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum TlsError {
    #[error(
        "invalid sslmode `{0}`; expected disable, allow, prefer, require, verify-ca or verify-full"
    )]
    InvalidMode(String),
    #[error("could not read the root certificate file {path} (sslrootcert): {reason}")]
    RootCert { path: PathBuf, reason: String },
    #[error("sslmode={mode} needs trusted root certificates: set sslrootcert=/path/to/root.crt (or sslrootcert=system), or put them in ~/.postgresql/root.crt")]
    NoRootCert { mode: &'static str },
    #[error("no certificate in the system CA bundle (looked in {0}); install the `ca-certificates` package or give sslrootcert=/path/to/root.crt")]
    NoSystemRoots(String),
    #[error("TLS setup failed: {0}")]
    Rustls(String),
}

/// Takes `sslmode` and `sslrootcert` out of a `postgres://` URL or a
/// `key=value` string, returning the text `tokio-postgres` can parse (with
/// `sslmode` rewritten to a mode it knows) and the TLS parameters.
///
/// ```
/// use strata_postgres::tls::{split_tls_params, RootCert, SslMode};
/// let (url, tls) = split_tls_params("postgres://db/app?sslmode=verify-full&sslrootcert=ca.pem&application_name=x").unwrap();
/// assert_eq!(url, "postgres://db/app?sslmode=require&application_name=x");
/// assert_eq!((tls.mode, tls.root_cert), (SslMode::VerifyFull, Some(RootCert::File("ca.pem".into()))));
/// let (kv, tls) = split_tls_params("host=db sslmode=verify-ca sslrootcert='/etc/my ca.pem'").unwrap();
/// assert_eq!(kv, "host=db sslmode=require");
/// assert_eq!(tls.root_cert, Some(RootCert::File("/etc/my ca.pem".into())));
/// assert_eq!(split_tls_params("postgres://db/app").unwrap().1.mode, SslMode::Prefer);
/// ```
pub fn split_tls_params(url: &str) -> Result<(String, TlsParams), TlsError> {
    let is_uri = url.starts_with("postgres://") || url.starts_with("postgresql://");
    let (rest, pairs) = if is_uri {
        split_uri_query(url)
    } else {
        split_key_value_pairs(url)
    };
    let mut mode = SslMode::Prefer;
    let mut root_cert = None;
    let mut kept: Vec<(String, String)> = Vec::new();
    for (key, value) in pairs {
        match key.as_str() {
            "sslmode" => {
                mode = SslMode::parse(&value).ok_or(TlsError::InvalidMode(value))?;
            }
            "sslrootcert" => {
                root_cert = Some(if value == "system" {
                    RootCert::System
                } else {
                    RootCert::File(PathBuf::from(value))
                });
            }
            _ => kept.push((key, value)),
        }
    }
    // tokio-postgres's own mode: it decides whether to ask for TLS and
    // whether a server without TLS is acceptable; verification is ours.
    let driver_mode = match mode {
        SslMode::Disable => "disable",
        SslMode::Prefer => "prefer",
        SslMode::Require | SslMode::VerifyCa | SslMode::VerifyFull => "require",
    };
    let explicit_mode = url.contains("sslmode");
    let text = if is_uri {
        let mut params: Vec<String> = Vec::new();
        if explicit_mode {
            params.push(format!("sslmode={driver_mode}"));
        }
        params.extend(
            kept.iter()
                .map(|(k, v)| format!("{k}={}", percent_encode(v))),
        );
        if params.is_empty() {
            rest
        } else {
            format!("{rest}?{}", params.join("&"))
        }
    } else {
        let mut parts: Vec<String> = kept
            .iter()
            .map(|(k, v)| format!("{k}={}", quote_value(v)))
            .collect();
        if explicit_mode {
            parts.push(format!("sslmode={driver_mode}"));
        }
        parts.join(" ")
    };
    Ok((text, TlsParams { mode, root_cert }))
}

/// `(url before '?', decoded query pairs)`.
fn split_uri_query(url: &str) -> (String, Vec<(String, String)>) {
    match url.split_once('?') {
        None => (url.to_string(), Vec::new()),
        Some((base, query)) => {
            let pairs = query
                .split('&')
                .filter(|p| !p.is_empty())
                .map(|p| {
                    let (k, v) = p.split_once('=').unwrap_or((p, ""));
                    (percent_decode(k), percent_decode(v))
                })
                .collect();
            (base.to_string(), pairs)
        }
    }
}

/// The pairs of a libpq `key=value` string (values optionally single-quoted
/// with backslash escapes).
fn split_key_value_pairs(text: &str) -> (String, Vec<(String, String)>) {
    let mut pairs = Vec::new();
    let mut chars = text.chars().peekable();
    loop {
        while chars.peek().is_some_and(|c| c.is_whitespace()) {
            chars.next();
        }
        if chars.peek().is_none() {
            break;
        }
        let mut key = String::new();
        while let Some(&c) = chars.peek() {
            if c == '=' || c.is_whitespace() {
                break;
            }
            key.push(c);
            chars.next();
        }
        while chars.peek().is_some_and(|c| c.is_whitespace()) {
            chars.next();
        }
        if chars.peek() == Some(&'=') {
            chars.next();
        }
        while chars.peek().is_some_and(|c| c.is_whitespace()) {
            chars.next();
        }
        let mut value = String::new();
        if chars.peek() == Some(&'\'') {
            chars.next();
            while let Some(c) = chars.next() {
                match c {
                    '\\' => value.extend(chars.next()),
                    '\'' => break,
                    c => value.push(c),
                }
            }
        } else {
            while let Some(&c) = chars.peek() {
                if c.is_whitespace() {
                    break;
                }
                value.push(c);
                chars.next();
            }
        }
        pairs.push((key, value));
    }
    (String::new(), pairs)
}

fn quote_value(value: &str) -> String {
    if !value.is_empty() && !value.contains(|c: char| c.is_whitespace() || c == '\'' || c == '\\') {
        return value.to_string();
    }
    format!("'{}'", value.replace('\\', "\\\\").replace('\'', "\\'"))
}

fn percent_decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = text
            .get(i + 1..i + 3)
            .filter(|_| bytes[i] == b'%')
            .and_then(|h| u8::from_str_radix(h, 16).ok());
        match hex {
            Some(b) => {
                out.push(b);
                i += 3;
            }
            None => {
                out.push(bytes[i]);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

fn percent_encode(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for b in text.bytes() {
        if b.is_ascii_alphanumeric() || b"-._~/:,".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// The system CA bundles of common distributions.
const SYSTEM_BUNDLES: &[&str] = &[
    "/etc/ssl/certs/ca-certificates.crt",
    "/etc/pki/tls/certs/ca-bundle.crt",
    "/etc/ssl/ca-bundle.pem",
    "/etc/ssl/cert.pem",
];

fn read_pem(path: &Path) -> Result<Vec<CertificateDer<'static>>, TlsError> {
    let error = |reason: String| TlsError::RootCert {
        path: path.to_path_buf(),
        reason,
    };
    let certs: Vec<CertificateDer<'static>> = CertificateDer::pem_file_iter(path)
        .map_err(|e| error(e.to_string()))?
        .collect::<Result<_, _>>()
        .map_err(|e| error(e.to_string()))?;
    if certs.is_empty() {
        return Err(error("no PEM certificate in the file".to_string()));
    }
    Ok(certs)
}

fn root_store(root: Option<&RootCert>, mode: &'static str) -> Result<RootCertStore, TlsError> {
    let certs = match root {
        Some(RootCert::File(path)) => read_pem(path)?,
        Some(RootCert::System) => {
            let path = SYSTEM_BUNDLES
                .iter()
                .map(Path::new)
                .find(|p| p.is_file())
                .ok_or_else(|| TlsError::NoSystemRoots(SYSTEM_BUNDLES.join(", ")))?;
            read_pem(path)?
        }
        None => {
            let default = std::env::var_os("HOME")
                .map(|h| PathBuf::from(h).join(".postgresql/root.crt"))
                .filter(|p| p.is_file())
                .ok_or(TlsError::NoRootCert { mode })?;
            read_pem(&default)?
        }
    };
    let mut store = RootCertStore::empty();
    let (_added, _ignored) = store.add_parsable_certificates(certs);
    if store.is_empty() {
        return Err(TlsError::Rustls(
            "none of the root certificates could be parsed".to_string(),
        ));
    }
    Ok(store)
}

/// The rustls client configuration for these parameters; `None` for
/// `sslmode=disable`.
pub fn client_config(params: &TlsParams) -> Result<Option<Arc<ClientConfig>>, TlsError> {
    let provider = Arc::new(ring::default_provider());
    let builder = ClientConfig::builder_with_provider(provider.clone())
        .with_safe_default_protocol_versions()
        .map_err(|e| TlsError::Rustls(e.to_string()))?;
    let webpki = |store: RootCertStore| {
        WebPkiServerVerifier::builder_with_provider(Arc::new(store), provider.clone())
            .build()
            .map_err(|e| TlsError::Rustls(e.to_string()))
    };
    let verifier: Arc<dyn ServerCertVerifier> = match (params.mode, &params.root_cert) {
        (SslMode::Disable, _) => return Ok(None),
        (SslMode::Prefer, _) | (SslMode::Require, None) => Arc::new(NoVerification(provider)),
        (SslMode::Require, Some(root)) | (SslMode::VerifyCa, Some(root)) => {
            Arc::new(ChainOnly(webpki(root_store(Some(root), "verify-ca")?)?))
        }
        (SslMode::VerifyCa, None) => Arc::new(ChainOnly(webpki(root_store(None, "verify-ca")?)?)),
        (SslMode::VerifyFull, root) => webpki(root_store(root.as_ref(), "verify-full")?)?,
    };
    let config = builder
        .dangerous()
        .with_custom_certificate_verifier(verifier)
        .with_no_client_auth();
    Ok(Some(Arc::new(config)))
}

/// `prefer` / `require`: any certificate (libpq's behaviour), but the
/// handshake signatures are still checked, so the session key is really the
/// server's.
#[derive(Debug)]
struct NoVerification(Arc<CryptoProvider>);

impl ServerCertVerifier for NoVerification {
    fn verify_server_cert(
        &self,
        _end_entity: &CertificateDer<'_>,
        _intermediates: &[CertificateDer<'_>],
        _server_name: &ServerName<'_>,
        _ocsp_response: &[u8],
        _now: UnixTime,
    ) -> Result<ServerCertVerified, rustls::Error> {
        Ok(ServerCertVerified::assertion())
    }

    fn verify_tls12_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        rustls::crypto::verify_tls12_signature(
            message,
            cert,
            dss,
            &self.0.signature_verification_algorithms,
        )
    }

    fn verify_tls13_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        rustls::crypto::verify_tls13_signature(
            message,
            cert,
            dss,
            &self.0.signature_verification_algorithms,
        )
    }

    fn supported_verify_schemes(&self) -> Vec<SignatureScheme> {
        self.0.signature_verification_algorithms.supported_schemes()
    }
}

/// `verify-ca`: the full web-PKI check, except that a certificate valid for
/// another host name is accepted. webpki checks the chain before the name,
/// so a name error means the chain was good.
#[derive(Debug)]
struct ChainOnly(Arc<WebPkiServerVerifier>);

impl ServerCertVerifier for ChainOnly {
    fn verify_server_cert(
        &self,
        end_entity: &CertificateDer<'_>,
        intermediates: &[CertificateDer<'_>],
        server_name: &ServerName<'_>,
        ocsp_response: &[u8],
        now: UnixTime,
    ) -> Result<ServerCertVerified, rustls::Error> {
        match self
            .0
            .verify_server_cert(end_entity, intermediates, server_name, ocsp_response, now)
        {
            Err(rustls::Error::InvalidCertificate(
                CertificateError::NotValidForName | CertificateError::NotValidForNameContext { .. },
            )) => Ok(ServerCertVerified::assertion()),
            other => other,
        }
    }

    fn verify_tls12_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        self.0.verify_tls12_signature(message, cert, dss)
    }

    fn verify_tls13_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        self.0.verify_tls13_signature(message, cert, dss)
    }

    fn supported_verify_schemes(&self) -> Vec<SignatureScheme> {
        self.0.supported_verify_schemes()
    }
}

/// A `tokio-postgres` TLS connector on rustls.
#[derive(Clone)]
pub struct MakeRustlsConnect {
    config: Arc<ClientConfig>,
}

impl MakeRustlsConnect {
    pub fn new(config: Arc<ClientConfig>) -> Self {
        Self { config }
    }
}

impl<S> MakeTlsConnect<S> for MakeRustlsConnect
where
    S: AsyncRead + AsyncWrite + Unpin + Send + 'static,
{
    type Stream = RustlsStream<S>;
    type TlsConnect = RustlsConnect;
    type Error = io::Error;

    fn make_tls_connect(&mut self, host: &str) -> Result<RustlsConnect, io::Error> {
        // A DNS name is sent as SNI (rustls does not send IP addresses).
        let name = ServerName::try_from(host.trim_matches(['[', ']']).to_string())
            .map_err(|e| io::Error::new(io::ErrorKind::InvalidInput, e))?;
        Ok(RustlsConnect {
            config: self.config.clone(),
            name,
        })
    }
}

/// Connects one stream to one host.
pub struct RustlsConnect {
    config: Arc<ClientConfig>,
    name: ServerName<'static>,
}

impl<S> TlsConnect<S> for RustlsConnect
where
    S: AsyncRead + AsyncWrite + Unpin + Send + 'static,
{
    type Stream = RustlsStream<S>;
    type Error = io::Error;
    type Future = Pin<Box<dyn Future<Output = io::Result<RustlsStream<S>>> + Send>>;

    fn connect(self, stream: S) -> Self::Future {
        Box::pin(async move {
            let stream = tokio_rustls::TlsConnector::from(self.config)
                .connect(self.name, stream)
                .await?;
            Ok(RustlsStream(stream))
        })
    }
}

/// An encrypted stream to the server.
pub struct RustlsStream<S>(tokio_rustls::client::TlsStream<S>);

impl<S: AsyncRead + AsyncWrite + Unpin> AsyncRead for RustlsStream<S> {
    fn poll_read(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        Pin::new(&mut self.0).poll_read(cx, buf)
    }
}

impl<S: AsyncRead + AsyncWrite + Unpin> AsyncWrite for RustlsStream<S> {
    fn poll_write(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        Pin::new(&mut self.0).poll_write(cx, buf)
    }

    fn poll_flush(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.0).poll_flush(cx)
    }

    fn poll_shutdown(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.0).poll_shutdown(cx)
    }
}

impl<S: AsyncRead + AsyncWrite + Unpin> tokio_postgres::tls::TlsStream for RustlsStream<S> {
    fn channel_binding(&self) -> ChannelBinding {
        // SCRAM channel binding (tls-server-end-point) is not offered; the
        // server then authenticates with plain SCRAM, as libpq's
        // `channel_binding=prefer` does when binding is unavailable.
        ChannelBinding::none()
    }
}

#[cfg(test)]
mod tests {
    use super::{split_tls_params, RootCert, SslMode};

    #[test]
    fn strips_only_what_tokio_postgres_does_not_know() {
        let (url, tls) = split_tls_params("postgresql://u:p@h:5/d?sslmode=require").unwrap();
        assert_eq!(url, "postgresql://u:p@h:5/d?sslmode=require");
        assert_eq!((tls.mode, tls.root_cert), (SslMode::Require, None));
        let (url, tls) =
            split_tls_params("postgres://h/d?sslrootcert=system&sslmode=verify-full").unwrap();
        assert_eq!(url, "postgres://h/d?sslmode=require");
        assert_eq!(tls.root_cert, Some(RootCert::System));
        let (url, _) =
            split_tls_params("postgres://h/d?sslrootcert=%2Ftmp%2Fa%20b.pem&options=-c%20x%3D1")
                .unwrap();
        assert_eq!(url, "postgres://h/d?options=-c%20x%3D1");
        let (kv, tls) = split_tls_params("host=h sslmode=disable").unwrap();
        assert_eq!(kv, "host=h sslmode=disable");
        assert_eq!(tls.mode, SslMode::Disable);
        assert!(split_tls_params("postgres://h/d?sslmode=verify").is_err());
    }
}
