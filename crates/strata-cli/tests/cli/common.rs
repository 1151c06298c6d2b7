//! Shared helpers: run the real `strata` binary, make scratch folders.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::atomic::{AtomicU32, Ordering};

/// What one run of `strata` printed.
#[derive(Debug)]
pub struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
    pub pid: u32,
}

/// Runs `strata` with `args`, without any STRATA_DEV_URL from the caller's
/// environment and without colours.
pub fn strata(args: &[&str]) -> Run {
    strata_env(args, &[])
}

/// Runs `strata` with extra environment variables.
pub fn strata_env(args: &[&str], env: &[(&str, &str)]) -> Run {
    strata_at(Path::new("."), args, env)
}

/// Runs `strata` in folder `dir` (a project folder) with extra environment
/// variables, without STRATA_ENV or DATABASE_URL from the caller.
pub fn strata_at(dir: &Path, args: &[&str], env: &[(&str, &str)]) -> Run {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_strata"));
    cmd.current_dir(dir)
        .env_remove("STRATA_ENV")
        .env_remove("DATABASE_URL")
        .args(args)
        .env_remove("STRATA_DEV_URL")
        .env("NO_COLOR", "1");
    for (k, v) in env {
        cmd.env(k, v);
    }
    let child = cmd
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("run strata");
    let pid = child.id();
    let Output {
        status,
        stdout,
        stderr,
    } = child.wait_with_output().expect("wait for strata");
    Run {
        code: status.code().unwrap_or(-1),
        stdout: String::from_utf8(stdout).expect("utf-8 stdout"),
        stderr: String::from_utf8(stderr).expect("utf-8 stderr"),
        pid,
    }
}

/// The test server's `postgres` database: where shadow databases go.
pub fn dev_url() -> String {
    format!("{}/postgres", strata_testkit::server().base_url)
}

static DIRS: AtomicU32 = AtomicU32::new(0);

/// A fresh scratch folder, removed when dropped.
pub struct Scratch(pub PathBuf);

impl Scratch {
    pub fn new() -> Scratch {
        let dir = std::env::temp_dir().join(format!(
            "strata-cli-test-{}-{}",
            std::process::id(),
            DIRS.fetch_add(1, Ordering::Relaxed)
        ));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        Scratch(dir)
    }

    /// Writes `text` to `name` (folders created), returning the path as a string.
    pub fn write(&self, name: &str, text: &str) -> String {
        let path = self.0.join(name);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, text).unwrap();
        path_str(&path)
    }

    pub fn path(&self, name: &str) -> String {
        path_str(&self.0.join(name))
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

pub fn path_str(path: &Path) -> String {
    path.to_str().unwrap().to_string()
}

/// Asserts a run ended with `code`, showing everything it printed otherwise.
#[track_caller]
pub fn assert_code(run: &Run, code: i32) {
    assert_eq!(
        run.code, code,
        "unexpected exit code\n--- stdout\n{}\n--- stderr\n{}",
        run.stdout, run.stderr
    );
}
