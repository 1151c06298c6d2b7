//! A private PostgreSQL cluster started from the installed server binaries:
//! used by the test harness and (later) by `strata dev`.
//!
//! PostgreSQL refuses to run as root, so when we are root every server
//! command runs as the `postgres` OS user through `runuser`.

use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::Command;

/// Why a cluster could not be found, created or started.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ClusterError {
    #[error("PostgreSQL server binaries (initdb, pg_ctl, postgres) were not found; install the `postgresql` package (Debian/Ubuntu: `apt-get install postgresql`) or set STRATA_PG_BINDIR to their folder")]
    BinariesNotFound,
    #[error("`{command}` failed: {output}")]
    CommandFailed { command: String, output: String },
    #[error("could not prepare the cluster folder {path}: {source}")]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("no free TCP port on 127.0.0.1: {0}")]
    NoPort(std::io::Error),
    /// Running as root, the server runs as `postgres`, which must be able to
    /// reach the data folder (e.g. not under a 0700 `/root`).
    #[error("the `postgres` OS user cannot reach {path} (the server runs as `postgres` when strata runs as root); make every parent folder searchable for it (chmod o+x) or run strata as a regular user")]
    NotAccessible { path: PathBuf },
}

/// Finds the folder holding `initdb`, `pg_ctl` and `postgres`: `STRATA_PG_BINDIR`,
/// then `pg_config --bindir`, then the newest `/usr/lib/postgresql/*/bin`, then `PATH`.
pub fn find_bin_dir() -> Result<PathBuf, ClusterError> {
    let has_server = |dir: &Path| dir.join("initdb").is_file() && dir.join("pg_ctl").is_file();
    if let Some(dir) = std::env::var_os("STRATA_PG_BINDIR").map(PathBuf::from) {
        return if has_server(&dir) {
            Ok(dir)
        } else {
            Err(ClusterError::BinariesNotFound)
        };
    }
    if let Ok(out) = Command::new("pg_config").arg("--bindir").output() {
        let dir = PathBuf::from(String::from_utf8_lossy(&out.stdout).trim());
        if out.status.success() && has_server(&dir) {
            return Ok(dir);
        }
    }
    let mut versions: Vec<(u32, PathBuf)> = std::fs::read_dir("/usr/lib/postgresql")
        .into_iter()
        .flatten()
        .flatten()
        .filter_map(|e| {
            let v: u32 = e.file_name().to_str()?.parse().ok()?;
            Some((v, e.path().join("bin")))
        })
        .filter(|(_, p)| has_server(p))
        .collect();
    versions.sort();
    if let Some((_, dir)) = versions.pop() {
        return Ok(dir);
    }
    std::env::var_os("PATH")
        .map(|p| std::env::split_paths(&p).collect::<Vec<_>>())
        .unwrap_or_default()
        .into_iter()
        .find(|d| has_server(d))
        .ok_or(ClusterError::BinariesNotFound)
}

/// Whether this process runs as root (then the server runs as `postgres`).
fn running_as_root() -> bool {
    Command::new("id")
        .arg("-u")
        .output()
        .map(|o| String::from_utf8_lossy(&o.stdout).trim() == "0")
        .unwrap_or(false)
}

/// A cluster's data folder, port and binaries.
#[derive(Debug, Clone)]
pub struct Cluster {
    pub bin_dir: PathBuf,
    pub data_dir: PathBuf,
    pub port: u16,
    as_postgres_user: bool,
}

impl Cluster {
    /// Describes a cluster in `data_dir` (which may not exist yet).
    pub fn new(bin_dir: PathBuf, data_dir: PathBuf, port: u16) -> Self {
        Self {
            bin_dir,
            data_dir,
            port,
            as_postgres_user: running_as_root(),
        }
    }

    /// The superuser connection URL for database `db`.
    pub fn url(&self, db: &str) -> String {
        format!("postgres://postgres@127.0.0.1:{}/{db}", self.port)
    }

    /// Runs a server binary, as `postgres` when we are root.
    fn run(&self, program: &str, args: &[&str]) -> Result<String, ClusterError> {
        let bin = self.bin_dir.join(program);
        let mut cmd = if self.as_postgres_user {
            let mut c = Command::new("runuser");
            c.args(["-u", "postgres", "--"]).arg(&bin);
            c
        } else {
            Command::new(&bin)
        };
        cmd.args(args);
        let command = format!("{} {}", bin.display(), args.join(" "));
        let out = cmd.output().map_err(|e| ClusterError::CommandFailed {
            command: command.clone(),
            output: e.to_string(),
        })?;
        let text = format!(
            "{}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
        if out.status.success() {
            Ok(text)
        } else {
            Err(ClusterError::CommandFailed {
                command,
                output: text.trim().to_string(),
            })
        }
    }

    /// Creates the data folder with `initdb` (trust auth on loopback only,
    /// superuser `postgres`, UTF-8).
    pub fn init(&self) -> Result<(), ClusterError> {
        let io = |source| ClusterError::Io {
            path: self.data_dir.clone(),
            source,
        };
        std::fs::create_dir_all(&self.data_dir).map_err(io)?;
        if self.as_postgres_user {
            let status = Command::new("chown")
                .args(["-R", "postgres:postgres"])
                .arg(&self.data_dir)
                .status()
                .map_err(io)?;
            if !status.success() {
                return Err(ClusterError::CommandFailed {
                    command: format!("chown postgres {}", self.data_dir.display()),
                    output: status.to_string(),
                });
            }
        }
        let dir = self.data_dir.to_string_lossy();
        if self.as_postgres_user {
            let reachable = Command::new("runuser")
                .args(["-u", "postgres", "--", "test", "-w"])
                .arg(&self.data_dir)
                .status()
                .map(|s| s.success())
                .unwrap_or(false);
            if !reachable {
                return Err(ClusterError::NotAccessible {
                    path: self.data_dir.clone(),
                });
            }
        }
        self.run(
            "initdb",
            &[
                "-D",
                &dir,
                "-U",
                "postgres",
                "--auth=trust",
                "--encoding=UTF8",
                "--locale=C.UTF-8",
                "--no-sync",
            ],
        )?;
        Ok(())
    }

    /// Starts the server on `127.0.0.1:port`, waiting until it accepts connections.
    /// `fast` turns off durability (fsync) for throw-away test clusters.
    pub fn start(&self, fast: bool) -> Result<(), ClusterError> {
        let dir = self.data_dir.to_string_lossy();
        // A Unix socket path is limited to ~107 bytes; in a deep folder use
        // TCP only (every URL Strata hands out is TCP anyway).
        let socket_dir = if dir.len() + "/.s.PGSQL.65535".len() < 100 {
            dir.to_string()
        } else {
            "''".to_string()
        };
        let mut opts = format!(
            "-p {} -c listen_addresses=127.0.0.1 -c unix_socket_directories={socket_dir} -c max_connections=300",
            self.port
        );
        if fast {
            opts.push_str(" -c fsync=off -c synchronous_commit=off -c full_page_writes=off");
        }
        let log = self.log_file();
        self.run(
            "pg_ctl",
            &[
                "-D",
                &dir,
                "-l",
                &log.to_string_lossy(),
                "-o",
                &opts,
                "-w",
                "-t",
                "60",
                "start",
            ],
        )?;
        Ok(())
    }

    /// Stops the server (`immediate` skips the shutdown checkpoint).
    pub fn stop(&self, immediate: bool) -> Result<(), ClusterError> {
        let dir = self.data_dir.to_string_lossy();
        let mode = if immediate { "immediate" } else { "fast" };
        self.run("pg_ctl", &["-D", &dir, "-m", mode, "-w", "stop"])?;
        Ok(())
    }

    /// Whether `initdb` has already made the data folder.
    pub fn is_initialized(&self) -> bool {
        self.data_dir.join("PG_VERSION").is_file()
    }

    /// Whether a server is running on this data folder (`pg_ctl status`).
    pub fn is_running(&self) -> bool {
        self.is_initialized()
            && self
                .run(
                    "pg_ctl",
                    &["-D", &self.data_dir.to_string_lossy(), "status"],
                )
                .is_ok()
    }

    /// The server's log file (written by [`Cluster::start`]).
    pub fn log_file(&self) -> PathBuf {
        self.data_dir.join("server.log")
    }

    /// The shell command prefix that runs a server binary the way [`Cluster`] does
    /// (for helpers that must outlive this process, like a cleanup watchdog).
    pub fn shell_command(&self, program: &str) -> String {
        let bin = self.bin_dir.join(program).to_string_lossy().into_owned();
        if self.as_postgres_user {
            format!("runuser -u postgres -- '{bin}'")
        } else {
            format!("'{bin}'")
        }
    }
}

/// A TCP port on 127.0.0.1 that was free a moment ago.
pub fn free_port() -> Result<u16, ClusterError> {
    let listener = TcpListener::bind("127.0.0.1:0").map_err(ClusterError::NoPort)?;
    listener
        .local_addr()
        .map(|a| a.port())
        .map_err(ClusterError::NoPort)
}
