//! A project's own PostgreSQL for development (`strata dev`): a cluster in
//! `.strata/dev/` under the project, started from the installed server
//! binaries (no Docker), on a port chosen once and remembered in
//! `.strata/dev/port`, holding one database, [`DEV_DATABASE`].
//!
//! `pg_ctl start` detaches the server, so it keeps running after the shell
//! that started it exits, until `stop`. Data is kept across stop/start; only
//! [`DevCluster::reset`] recreates the database.

use crate::cluster::{find_bin_dir, free_port, Cluster, ClusterError};
use crate::connect::connect;
use crate::quote::ident;
use std::net::TcpListener;
use std::path::{Path, PathBuf};

/// The name of the project's development database.
pub const DEV_DATABASE: &str = "dev";

/// The folder under the project root that holds Strata's local state.
pub const STATE_DIR: &str = ".strata";

/// Why the dev database could not be managed.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum DevError {
    #[error(transparent)]
    Cluster(#[from] ClusterError),
    #[error("could not {action} the dev database: {source}")]
    Database {
        action: &'static str,
        #[source]
        source: crate::Error,
    },
    #[error("could not write {path}: {source}")]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("the dev database is not running")]
    NotRunning,
}

/// What the dev cluster is doing.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DevState {
    /// `start` has never run (no data folder).
    NotCreated,
    Stopped,
    Running,
}

impl DevState {
    pub fn as_str(self) -> &'static str {
        match self {
            DevState::NotCreated => "not created",
            DevState::Stopped => "stopped",
            DevState::Running => "running",
        }
    }
}

/// The dev cluster of one project.
#[derive(Debug, Clone)]
pub struct DevCluster {
    /// `<project>/.strata/dev`.
    pub dir: PathBuf,
    pub cluster: Cluster,
}

impl DevCluster {
    /// The dev cluster of the project rooted at `root`, with its remembered
    /// port (a free one, saved by [`DevCluster::start`], the first time).
    /// Writes nothing.
    pub fn open(root: &Path) -> Result<DevCluster, DevError> {
        let bin_dir = find_bin_dir()?;
        let dir = root.join(STATE_DIR).join("dev");
        let port = match read_port(&dir) {
            Some(port) => port,
            None => free_port()?,
        };
        Ok(DevCluster {
            cluster: Cluster::new(bin_dir, dir.join("data"), port),
            dir,
        })
    }

    pub fn state(&self) -> DevState {
        if !self.cluster.is_initialized() {
            DevState::NotCreated
        } else if self.cluster.is_running() {
            DevState::Running
        } else {
            DevState::Stopped
        }
    }

    /// The URL of the dev database.
    pub fn url(&self) -> String {
        self.cluster.url(DEV_DATABASE)
    }

    /// The URL of the server's `postgres` database: where shadow databases
    /// go (`--dev-url`).
    pub fn server_url(&self) -> String {
        self.cluster.url("postgres")
    }

    /// Creates the cluster if needed, starts it unless it runs, and creates
    /// the dev database if it is missing. Returns whether it was already
    /// running.
    pub async fn start(&mut self) -> Result<bool, DevError> {
        if self.state() == DevState::Running {
            return Ok(true);
        }
        if !self.cluster.is_initialized() {
            create_dir(&self.dir)?;
            // Keep the folder out of version control.
            let ignore = self.dir.parent().unwrap_or(&self.dir).join(".gitignore");
            if !ignore.exists() {
                std::fs::write(&ignore, "*\n").map_err(|source| DevError::Io {
                    path: ignore.clone(),
                    source,
                })?;
            }
            self.cluster.init()?;
        }
        // The remembered port may have been taken by something else since.
        if TcpListener::bind(("127.0.0.1", self.cluster.port)).is_err() {
            self.cluster.port = free_port()?;
        }
        save_port(&self.dir, self.cluster.port)?;
        self.cluster.start(false)?;
        self.ensure_database().await?;
        Ok(false)
    }

    /// Stops the server; its data is kept. Returns whether it was running.
    pub fn stop(&self) -> Result<bool, DevError> {
        if self.state() != DevState::Running {
            return Ok(false);
        }
        self.cluster.stop(false)?;
        Ok(true)
    }

    /// Drops and recreates the dev database (closing its connections).
    pub async fn reset(&self) -> Result<(), DevError> {
        if self.state() != DevState::Running {
            return Err(DevError::NotRunning);
        }
        let client = self.admin("reset").await?;
        let sql = format!(
            "DROP DATABASE IF EXISTS {} WITH (FORCE)",
            ident(DEV_DATABASE)
        );
        client
            .batch_execute(&sql)
            .await
            .map_err(|e| DevError::Database {
                action: "drop",
                source: crate::Error::query(sql.clone(), &e),
            })?;
        self.ensure_database().await
    }

    async fn admin(&self, action: &'static str) -> Result<tokio_postgres::Client, DevError> {
        connect(&format!("{}?sslmode=disable", self.server_url()))
            .await
            .map_err(|source| DevError::Database { action, source })
    }

    async fn ensure_database(&self) -> Result<(), DevError> {
        let client = self.admin("create").await?;
        let exists = client
            .query_opt(
                "SELECT 1 FROM pg_database WHERE datname = $1",
                &[&DEV_DATABASE],
            )
            .await
            .map_err(|e| DevError::Database {
                action: "look up",
                source: crate::Error::query("looking up the dev database", &e),
            })?
            .is_some();
        if !exists {
            let sql = format!("CREATE DATABASE {}", ident(DEV_DATABASE));
            client
                .batch_execute(&sql)
                .await
                .map_err(|e| DevError::Database {
                    action: "create",
                    source: crate::Error::query(sql.clone(), &e),
                })?;
        }
        Ok(())
    }
}

fn port_file(dir: &Path) -> PathBuf {
    dir.join("port")
}

fn read_port(dir: &Path) -> Option<u16> {
    std::fs::read_to_string(port_file(dir))
        .ok()?
        .trim()
        .parse()
        .ok()
}

fn create_dir(dir: &Path) -> Result<(), DevError> {
    std::fs::create_dir_all(dir).map_err(|source| DevError::Io {
        path: dir.to_path_buf(),
        source,
    })
}

fn save_port(dir: &Path, port: u16) -> Result<(), DevError> {
    create_dir(dir)?;
    let path = port_file(dir);
    std::fs::write(&path, format!("{port}\n")).map_err(|source| DevError::Io { path, source })
}
