//! Real-server test harness: every test gets its own fresh database.
//!
//! With `STRATA_TEST_DATABASE_URL` set (a superuser URL), databases are created
//! on that server. Otherwise the first test in a process starts one private
//! throw-away cluster from the installed server binaries (initdb + pg_ctl on
//! a free port, as the `postgres` OS user when running as root); a watchdog
//! stops and deletes it when the test process exits.
//!
//! ```no_run
//! # async fn t() {
//! let db = strata_testkit::TestDatabase::create().await;
//! let client = db.connect().await;
//! client.batch_execute("CREATE TABLE t (id int)").await.unwrap();
//! # }
//! ```

use std::path::PathBuf;
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::OnceLock;
use strata_postgres::cluster::{find_bin_dir, free_port, Cluster};
use tokio_postgres::NoTls;

/// The server the tests of this process use.
#[derive(Debug)]
pub struct TestServer {
    /// Superuser URL without a database name at the end (append `/<db>`).
    pub base_url: String,
    /// Folder of the server binaries (pg_dump, psql, ...), when known.
    pub bin_dir: Option<PathBuf>,
}

static SERVER: OnceLock<Result<TestServer, String>> = OnceLock::new();
static COUNTER: AtomicU32 = AtomicU32::new(0);

/// The shared test server, started on first use. Panics with a clear message
/// when no server can be had: tests cannot run without one.
pub fn server() -> &'static TestServer {
    match SERVER.get_or_init(start_server) {
        Ok(s) => s,
        Err(e) => panic!("no PostgreSQL for tests: {e}"),
    }
}

fn start_server() -> Result<TestServer, String> {
    if let Ok(url) = std::env::var("STRATA_TEST_DATABASE_URL") {
        let base_url = match url.rfind('/') {
            Some(i) if url[..i].contains('@') || url[..i].matches('/').count() > 2 => {
                url[..i].to_string()
            }
            _ => url.trim_end_matches('/').to_string(),
        };
        return Ok(TestServer {
            base_url,
            bin_dir: find_bin_dir().ok(),
        });
    }
    let bin_dir = find_bin_dir().map_err(|e| {
        format!("{e}; or set STRATA_TEST_DATABASE_URL to a superuser URL of a running server")
    })?;
    let data_dir = std::env::temp_dir().join(format!(
        "strata-test-{}-{}",
        std::process::id(),
        COUNTER.fetch_add(1, Ordering::Relaxed)
    ));
    let _ = std::fs::remove_dir_all(&data_dir);
    let mut last_error = String::new();
    // A free port can be taken between probing and binding: try a few.
    for _ in 0..5 {
        let port = free_port().map_err(|e| e.to_string())?;
        let cluster = Cluster::new(bin_dir.clone(), data_dir.clone(), port);
        if !data_dir.join("PG_VERSION").exists() {
            cluster.init().map_err(|e| e.to_string())?;
        }
        match cluster.start(true) {
            Ok(()) => {
                spawn_watchdog(&cluster);
                return Ok(TestServer {
                    base_url: format!("postgres://postgres@127.0.0.1:{port}"),
                    bin_dir: Some(bin_dir),
                });
            }
            Err(e) => last_error = e.to_string(),
        }
    }
    Err(last_error)
}

/// Stops and deletes the cluster once this process has exited.
fn spawn_watchdog(cluster: &Cluster) {
    let dir = cluster.data_dir.to_string_lossy();
    let script = format!(
        "while kill -0 {pid} 2>/dev/null; do sleep 0.3; done; {pg_ctl} -D '{dir}' -m immediate -w stop >/dev/null 2>&1; rm -rf '{dir}'",
        pid = std::process::id(),
        pg_ctl = cluster.shell_command("pg_ctl"),
    );
    let _ = std::process::Command::new("sh")
        .args(["-c", &script])
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn();
}

/// A fresh, empty database for one test; dropped when the value is dropped.
#[derive(Debug)]
pub struct TestDatabase {
    pub name: String,
    url: String,
}

impl TestDatabase {
    /// Creates a new database from `template0` (empty, no extensions).
    pub async fn create() -> TestDatabase {
        let server = server();
        let name = format!(
            "strata_t{}_{}",
            std::process::id(),
            COUNTER.fetch_add(1, Ordering::Relaxed)
        );
        let admin = connect_url(&format!("{}/postgres", server.base_url)).await;
        admin
            .batch_execute(&format!("CREATE DATABASE \"{name}\" TEMPLATE template0"))
            .await
            .unwrap_or_else(|e| panic!("could not create test database {name}: {e}"));
        TestDatabase {
            url: format!("{}/{name}", server.base_url),
            name,
        }
    }

    /// Connection URL of this database.
    pub fn url(&self) -> &str {
        &self.url
    }

    /// A new connection to this database.
    pub async fn connect(&self) -> tokio_postgres::Client {
        connect_url(&self.url).await
    }
}

impl Drop for TestDatabase {
    fn drop(&mut self) {
        let Some(Ok(server)) = SERVER.get() else {
            return;
        };
        let admin_url = format!("{}/postgres", server.base_url);
        let sql = format!("DROP DATABASE IF EXISTS \"{}\" WITH (FORCE)", self.name);
        // Drop runs outside any runtime guarantee: use a private one on a thread.
        let _ = std::thread::spawn(move || {
            let rt = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .ok()?;
            rt.block_on(async {
                let (client, conn) = tokio_postgres::connect(&admin_url, NoTls).await.ok()?;
                tokio::spawn(conn);
                client.batch_execute(&sql).await.ok()
            })
        })
        .join();
    }
}

/// Creates the objects of `schema` in the (empty) database `client` is
/// connected to, with the same rendering `strata push` and `generate` use,
/// panicking with the SQL if the server refuses it.
pub async fn create_schema(client: &tokio_postgres::Client, schema: &strata_schema::Schema) {
    let plan = strata_postgres::render::plan(
        &strata_schema::Schema::default(),
        schema,
        &strata_schema::RenameHints::default(),
    )
    .unwrap_or_else(|e| panic!("the schema does not render: {e}"));
    let sql = plan.up.to_sql();
    if let Err(e) = client.batch_execute(&sql).await {
        panic!("creating the schema failed: {e:?}\n{sql}");
    }
}

/// Connects without TLS (test servers are local), panicking with the reason.
pub async fn connect_url(url: &str) -> tokio_postgres::Client {
    let (client, conn) = tokio_postgres::connect(url, NoTls)
        .await
        .unwrap_or_else(|e| panic!("could not connect to test server: {e}"));
    tokio::spawn(async move {
        let _ = conn.await;
    });
    client
}

/// The version of the test server, for tests whose outcome depends on it
/// (a feature refused before PostgreSQL 15, accepted from 15 on).
pub async fn server_version() -> strata_postgres::server_version::ServerVersion {
    let client = connect_url(&format!("{}/postgres", server().base_url)).await;
    strata_postgres::connect::server_version(&client)
        .await
        .unwrap_or_else(|e| panic!("could not read the test server's version: {e}"))
}

/// Whether the test server has `NULLS NOT DISTINCT` (PostgreSQL 15 and newer).
pub async fn has_nulls_not_distinct() -> bool {
    server_version().await.major() >= 15
}

/// `sql` as the test server can run it: without `NULLS NOT DISTINCT` before
/// PostgreSQL 15, so a test's other objects are still created and checked
/// there (its assertions then expect plain uniques; the refusal of the
/// feature on such servers has tests of its own).
pub async fn for_server(sql: &str) -> String {
    if has_nulls_not_distinct().await {
        sql.to_string()
    } else {
        sql.replace(" NULLS NOT DISTINCT", "")
    }
}
