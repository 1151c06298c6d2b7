//! `strata migrate` behind PgBouncer in transaction pool mode: consecutive
//! transactions of one client run on different server connections, so
//! session state (session advisory locks, SET, named prepared statements)
//! cannot be relied on. The migrator must still apply each migration once.

use crate::common::{assert_code, strata};
use crate::reliability::{assert_consistent, names, spawn, twenty_migrations};
use std::net::TcpStream;
use std::os::unix::process::CommandExt;
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};
use strata_testkit::TestDatabase;

/// A pgbouncer process in front of the test server, stopped on drop.
struct PgBouncer {
    child: Child,
    dir: PathBuf,
    port: u16,
}

impl Drop for PgBouncer {
    fn drop(&mut self) {
        // As root the child is `runuser`, whose own child is pgbouncer:
        // end the whole process group, or pgbouncer outlives the test.
        let _ = Command::new("kill")
            .args(["-TERM", "--", &format!("-{}", self.child.id())])
            .status();
        let _ = self.child.kill();
        let _ = self.child.wait();
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

fn is_root() -> bool {
    Command::new("id")
        .arg("-u")
        .output()
        .is_ok_and(|o| String::from_utf8_lossy(&o.stdout).trim() == "0")
}

/// Finds the pgbouncer binary (`pgbouncer` on PATH, or Debian's /usr/sbin).
fn pgbouncer_bin() -> Option<PathBuf> {
    let on_path = Command::new("sh")
        .args(["-c", "command -v pgbouncer"])
        .output()
        .ok()
        .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_string())
        .filter(|p| !p.is_empty());
    on_path
        .map(PathBuf::from)
        .or_else(|| Some(PathBuf::from("/usr/sbin/pgbouncer")).filter(|p| p.exists()))
}

/// Starts pgbouncer on a free port in transaction pool mode, with a small
/// pool so that the clients really share server connections.
fn start_pgbouncer(pool_size: u32) -> PgBouncer {
    let bin = pgbouncer_bin().expect(
        "pgbouncer is not installed (Debian/Ubuntu: apt-get install pgbouncer); the CI image must have it",
    );
    let base = &strata_testkit::server().base_url;
    let host_port = base.rsplit_once('@').map_or(base.as_str(), |(_, r)| r);
    let (host, server_port) = host_port
        .rsplit_once(':')
        .expect("host:port in the test URL");
    let user = base
        .strip_prefix("postgres://")
        .and_then(|r| r.split_once('@'))
        .map_or("postgres", |(u, _)| {
            u.split(':').next().unwrap_or("postgres")
        });
    let port = strata_postgres::cluster::free_port().unwrap();
    let dir = std::env::temp_dir().join(format!("strata-pgbouncer-{}-{port}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let config = dir.join("pgbouncer.ini");
    std::fs::write(
        &config,
        format!(
            "[databases]\n* = host={host} port={server_port} user={user}\n\n[pgbouncer]\n\
             listen_addr = 127.0.0.1\nlisten_port = {port}\nunix_socket_dir =\n\
             auth_type = any\npool_mode = transaction\ndefault_pool_size = {pool_size}\n\
             max_client_conn = 200\nignore_startup_parameters = extra_float_digits\n\
             logfile = {log}\npidfile = {pid}\n",
            log = dir.join("pgbouncer.log").display(),
            pid = dir.join("pgbouncer.pid").display(),
        ),
    )
    .unwrap();
    // pgbouncer refuses to run as root: run it as the postgres user then.
    let mut cmd = if is_root() {
        Command::new("chown")
            .args(["-R", "postgres"])
            .arg(&dir)
            .status()
            .unwrap();
        let mut c = Command::new("runuser");
        c.args(["-u", "postgres", "--"]).arg(&bin);
        c
    } else {
        Command::new(&bin)
    };
    let child = cmd
        .process_group(0)
        .arg(&config)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("start pgbouncer");
    let bouncer = PgBouncer { child, dir, port };
    let deadline = Instant::now() + Duration::from_secs(10);
    while TcpStream::connect(("127.0.0.1", port)).is_err() {
        assert!(
            Instant::now() < deadline,
            "pgbouncer did not start: {}",
            std::fs::read_to_string(bouncer.dir.join("pgbouncer.log")).unwrap_or_default()
        );
        std::thread::sleep(Duration::from_millis(50));
    }
    bouncer
}

#[tokio::test]
async fn eight_processes_through_pgbouncer_in_transaction_mode() {
    let db = TestDatabase::create().await;
    let bouncer = start_pgbouncer(3);
    let url = format!("postgres://postgres@127.0.0.1:{}/{}", bouncer.port, db.name);

    // The pooler really is in transaction mode: four clients, each holding
    // its connection open, share a pool of three server connections (in
    // session mode the fourth would wait for one of the others to leave).
    let mut clients = Vec::new();
    for _ in 0..4 {
        clients.push(strata_testkit::connect_url(&url).await);
    }
    let mut backends = std::collections::BTreeSet::new();
    for client in &clients {
        let row = tokio::time::timeout(
            Duration::from_secs(5),
            client.query_typed_one("SELECT pg_backend_pid()", &[]),
        )
        .await
        .expect("a fourth client is served: transaction pooling")
        .unwrap();
        backends.insert(row.get::<_, i32>(0));
    }
    assert!(backends.len() <= 3, "{backends:?}");
    drop(clients);

    let dir = twenty_migrations();
    let d = dir.path("");
    let started = Instant::now();
    let children: Vec<Child> = (0..8)
        .map(|_| spawn(&["migrate", "--url", &url, "--dir", &d, "--lease", "2s"]))
        .collect();
    let mut applied_lines = 0;
    for child in children {
        let out = child.wait_with_output().unwrap();
        let stdout = String::from_utf8_lossy(&out.stdout);
        assert!(
            out.status.success(),
            "exit {:?}\n{stdout}\n{}",
            out.status,
            String::from_utf8_lossy(&out.stderr)
        );
        applied_lines += stdout.lines().filter(|l| l.starts_with("applied ")).count();
    }
    eprintln!(
        "8 concurrent `strata migrate` through pgbouncer (transaction mode, pool of 3): {:?}",
        started.elapsed()
    );
    assert_eq!(applied_lines, 20);
    assert_eq!(
        assert_consistent(&db, &names(&dir), "through pgbouncer").await,
        (20, false)
    );

    let st = strata(&["status", "--url", &url, "--dir", &d, "--format", "json"]);
    assert_code(&st, 0);
    assert!(st.stdout.contains("\"applied\""), "{}", st.stdout);
    let again = strata(&["migrate", "--url", &url, "--dir", &d]);
    assert_code(&again, 0);
    assert!(again.stdout.contains("up to date"), "{}", again.stdout);
}
