//! sslmode against real servers: a private cluster with `ssl = on` and a
//! certificate made here (a private CA signing a `localhost` server
//! certificate), and the shared test server, which has TLS off.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::atomic::{AtomicUsize, Ordering};
use strata_postgres::cluster::{find_bin_dir, free_port, Cluster};
use strata_postgres::connect::{cancel_query, connect};
use strata_postgres::Error;

/// Runs `openssl` with `args` in `dir`.
fn openssl(dir: &Path, args: &[&str]) {
    let out = Command::new("openssl")
        .args(args)
        .current_dir(dir)
        .output()
        .expect("openssl is installed");
    assert!(
        out.status.success(),
        "openssl {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// A CA, a server certificate for `localhost` signed by it, and a second,
/// unrelated CA.
fn make_certificates(dir: &Path) {
    let ec = [
        "-newkey",
        "ec",
        "-pkeyopt",
        "ec_paramgen_curve:prime256v1",
        "-nodes",
    ];
    for ca in ["ca", "other-ca"] {
        let mut args = vec!["req", "-x509"];
        args.extend(ec);
        let (key, crt, subject) = (
            format!("{ca}.key"),
            format!("{ca}.crt"),
            format!("/CN=strata test {ca}"),
        );
        args.extend([
            "-keyout", &key, "-out", &crt, "-days", "2", "-subj", &subject,
        ]);
        openssl(dir, &args);
    }
    let mut args = vec!["req"];
    args.extend(ec);
    args.extend([
        "-keyout",
        "server.key",
        "-out",
        "server.csr",
        "-subj",
        "/CN=localhost",
    ]);
    openssl(dir, &args);
    std::fs::write(
        dir.join("server.ext"),
        "subjectAltName=DNS:localhost\nbasicConstraints=CA:FALSE\nkeyUsage=digitalSignature\nextendedKeyUsage=serverAuth\n",
    )
    .unwrap();
    openssl(
        dir,
        &[
            "x509",
            "-req",
            "-in",
            "server.csr",
            "-CA",
            "ca.crt",
            "-CAkey",
            "ca.key",
            "-CAcreateserial",
            "-out",
            "server.crt",
            "-days",
            "2",
            "-extfile",
            "server.ext",
        ],
    );
}

/// A throw-away cluster with TLS on, stopped and removed when dropped.
struct TlsServer {
    cluster: Cluster,
    dir: PathBuf,
}

impl TlsServer {
    fn start() -> TlsServer {
        static STARTED: AtomicUsize = AtomicUsize::new(0);
        let dir = std::env::temp_dir().join(format!(
            "strata-tls-test-{}-{}",
            std::process::id(),
            STARTED.fetch_add(1, Ordering::Relaxed)
        ));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        make_certificates(&dir);
        let cluster = Cluster::new(
            find_bin_dir().unwrap(),
            dir.join("data"),
            free_port().unwrap(),
        );
        cluster.init().unwrap();
        let data = &cluster.data_dir;
        for file in ["server.crt", "server.key"] {
            std::fs::copy(dir.join(file), data.join(file)).unwrap();
        }
        let root =
            String::from_utf8(Command::new("id").arg("-u").output().unwrap().stdout).unwrap();
        if root.trim() == "0" {
            let status = Command::new("chown")
                .args(["postgres:postgres"])
                .arg(data.join("server.crt"))
                .arg(data.join("server.key"))
                .status()
                .unwrap();
            assert!(status.success());
        }
        let status = Command::new("chmod")
            .arg("600")
            .arg(data.join("server.key"))
            .status()
            .unwrap();
        assert!(status.success());
        let mut conf = std::fs::read_to_string(data.join("postgresql.conf")).unwrap();
        conf.push_str("\nssl = on\nssl_cert_file = 'server.crt'\nssl_key_file = 'server.key'\n");
        std::fs::write(data.join("postgresql.conf"), conf).unwrap();
        cluster.start(true).unwrap();
        TlsServer { cluster, dir }
    }

    fn url(&self, host: &str, params: &str) -> String {
        format!(
            "postgres://postgres@{host}:{}/postgres?{params}",
            self.cluster.port
        )
    }

    fn cert(&self, name: &str) -> String {
        self.dir.join(name).to_string_lossy().into_owned()
    }
}

impl Drop for TlsServer {
    fn drop(&mut self) {
        let _ = self.cluster.stop(true);
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

/// Whether the session runs over TLS, as the server sees it.
async fn uses_tls(url: &str) -> Result<bool, Error> {
    let client = connect(url).await?;
    let row = client
        .query_one(
            "SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()",
            &[],
        )
        .await
        .unwrap();
    Ok(row.get(0))
}

#[track_caller]
fn assert_fails(result: Result<bool, Error>, expected: &str) {
    match result {
        Ok(tls) => panic!("connected (tls: {tls}) but expected a failure mentioning `{expected}`"),
        Err(e) => {
            let text = e.to_string();
            assert!(text.contains(expected), "expected `{expected}` in: {text}");
        }
    }
}

#[tokio::test]
async fn every_sslmode_against_a_tls_server() {
    let server = TlsServer::start();
    let ca = format!("sslrootcert={}", server.cert("ca.crt"));
    let other_ca = format!("sslrootcert={}", server.cert("other-ca.crt"));

    assert!(!uses_tls(&server.url("127.0.0.1", "sslmode=disable"))
        .await
        .unwrap());
    // libpq's default is prefer: TLS when offered, without verification.
    assert!(uses_tls(&server.url("127.0.0.1", "")).await.unwrap());
    assert!(uses_tls(&server.url("127.0.0.1", "sslmode=prefer"))
        .await
        .unwrap());
    // require does not verify: an untrusted (self-made) certificate is fine.
    assert!(uses_tls(&server.url("127.0.0.1", "sslmode=require"))
        .await
        .unwrap());
    // ... unless a root certificate is given, then the chain is checked (libpq).
    assert!(
        uses_tls(&server.url("127.0.0.1", &format!("sslmode=require&{ca}")))
            .await
            .unwrap()
    );
    assert_fails(
        uses_tls(&server.url("127.0.0.1", &format!("sslmode=require&{other_ca}"))).await,
        "UnknownIssuer",
    );

    // verify-ca: needs the root, checks the chain only (127.0.0.1 is not in
    // the certificate, which names only localhost).
    assert_fails(
        uses_tls(&server.url("127.0.0.1", &format!("sslmode=verify-ca&{other_ca}"))).await,
        "UnknownIssuer",
    );
    assert!(
        uses_tls(&server.url("127.0.0.1", &format!("sslmode=verify-ca&{ca}")))
            .await
            .unwrap()
    );

    // verify-full: chain and host name.
    assert!(
        uses_tls(&server.url("localhost", &format!("sslmode=verify-full&{ca}")))
            .await
            .unwrap()
    );
    assert_fails(
        uses_tls(&server.url("127.0.0.1", &format!("sslmode=verify-full&{ca}"))).await,
        "not valid for name \"127.0.0.1\"",
    );
    assert_fails(
        uses_tls(&server.url("localhost", &format!("sslmode=verify-full&{other_ca}"))).await,
        "UnknownIssuer",
    );

    // key=value connection strings take the same parameters.
    let kv = format!(
        "host=localhost port={} user=postgres dbname=postgres sslmode=verify-full sslrootcert='{}'",
        server.cluster.port,
        server.cert("ca.crt")
    );
    assert!(uses_tls(&kv).await.unwrap());
}

#[tokio::test]
async fn verify_modes_without_a_root_certificate_say_how_to_give_one() {
    // HOME without ~/.postgresql/root.crt: nothing to verify against. The
    // error comes before any connection attempt (port 1 is never dialled).
    let url =
        "postgres://app:s3cret@127.0.0.1:1/app?sslmode=verify-ca&sslrootcert=/nonexistent/root.crt";
    let err = connect(url).await.expect_err("fails");
    let text = err.to_string();
    assert!(matches!(err, Error::Tls { .. }), "{text}");
    assert!(text.contains("/nonexistent/root.crt"), "{text}");
    assert!(!text.contains("s3cret"), "{text}");
    let err = connect("postgres://h/d?sslmode=verify")
        .await
        .expect_err("fails");
    assert!(
        err.to_string()
            .contains("expected disable, allow, prefer, require, verify-ca or verify-full"),
        "{err}"
    );
}

#[tokio::test]
async fn modes_against_a_server_without_tls() {
    let db = strata_testkit::TestDatabase::create().await;
    let url = db.url().to_string();
    let with = |params: &str| {
        if url.contains('?') {
            format!("{url}&{params}")
        } else {
            format!("{url}?{params}")
        }
    };
    assert!(!uses_tls(&with("sslmode=disable")).await.unwrap());
    assert!(!uses_tls(&with("sslmode=prefer")).await.unwrap());
    assert!(!uses_tls(&url).await.unwrap());
    assert_fails(uses_tls(&with("sslmode=require")).await, "TLS");
}

/// Neon and RDS proxies route on the TLS server name: the host name of the
/// URL must be in the ClientHello (SNI). A fake server answers the
/// SSLRequest with `S` and reads the hello.
#[tokio::test]
async fn the_host_name_is_sent_as_sni() {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    let server = tokio::spawn(async move {
        let (mut socket, _) = listener.accept().await.unwrap();
        let mut ssl_request = [0u8; 8];
        socket.read_exact(&mut ssl_request).await.unwrap();
        // Length 8, code 80877103: the SSLRequest.
        assert_eq!(ssl_request, [0, 0, 0, 8, 4, 210, 22, 47]);
        socket.write_all(b"S").await.unwrap();
        let mut hello = vec![0u8; 4096];
        let n = socket.read(&mut hello).await.unwrap();
        hello.truncate(n);
        hello
    });
    let url = format!("postgres://app@localhost:{port}/app?sslmode=require&connect_timeout=5");
    // The fake server never completes the handshake: the connection fails.
    assert!(connect(&url).await.is_err());
    let hello = server.await.unwrap();
    assert_eq!(hello.first(), Some(&0x16), "a TLS handshake record");
    assert!(
        hello.windows(b"localhost".len()).any(|w| w == b"localhost"),
        "server name in the ClientHello"
    );
}

/// A statement on a TLS connection is cancelled as the connection was made:
/// with `sslmode=require` the driver will not send a cancel request in the
/// clear, so a cancel without TLS never reaches the server.
#[tokio::test]
async fn a_cancel_goes_over_tls_when_the_url_requires_it() {
    let server = TlsServer::start();
    let url = server.url("127.0.0.1", "sslmode=require");
    let client = connect(&url).await.unwrap();
    let token = client.cancel_token();
    let without_tls = token.cancel_query(tokio_postgres::NoTls).await;
    assert!(without_tls.is_err(), "a cancel in the clear is refused");
    let sleeping = tokio::spawn(async move {
        let outcome = client.batch_execute("SELECT pg_sleep(600)").await;
        outcome.map_err(|e| e.code().cloned())
    });
    let watcher = connect(&url).await.unwrap();
    for attempt in 0.. {
        let running: i64 = watcher
            .query_one(
                "SELECT count(*) FROM pg_stat_activity WHERE state = 'active' AND query = 'SELECT pg_sleep(600)'",
                &[],
            )
            .await
            .unwrap()
            .get(0);
        if running == 1 {
            break;
        }
        assert!(attempt < 1000, "the statement never started");
        tokio::time::sleep(std::time::Duration::from_millis(10)).await;
    }
    cancel_query(&url, &token).await.unwrap();
    assert_eq!(
        sleeping.await.unwrap().unwrap_err(),
        Some(tokio_postgres::error::SqlState::QUERY_CANCELED)
    );
}
