//! Timing other programs: every external command (ours and the baselines) is
//! run the same way — spawned, stdout and stderr captured into memory, waited
//! for — and timed from spawn to exit. CPU time is the user + system time
//! the kernel charges to the finished child (and to the descendants it waited
//! for), in 10 ms ticks.

use crate::cpu;
use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

/// What one run of a command produced.
#[derive(Debug)]
pub struct Run {
    pub elapsed: Duration,
    pub cpu: Option<Duration>,
    pub stdout: String,
}

/// Why an external command could not be run or failed.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ExternalError {
    #[error("could not start `{program}`: {source}")]
    Spawn {
        program: String,
        #[source]
        source: std::io::Error,
    },
    #[error("`{program}` failed ({status}): {stderr}")]
    Failed {
        program: String,
        status: std::process::ExitStatus,
        stderr: String,
    },
}

/// Runs `program args...` in `dir` and times it.
pub fn run(program: &Path, args: &[&str], dir: Option<&Path>) -> Result<Run, ExternalError> {
    let mut command = Command::new(program);
    command.args(args);
    if let Some(dir) = dir {
        command.current_dir(dir);
    }
    let name = program.display().to_string();
    let cpu_before = cpu::children();
    let start = Instant::now();
    let output = command.output().map_err(|source| ExternalError::Spawn {
        program: name.clone(),
        source,
    })?;
    let elapsed = start.elapsed();
    let cpu = cpu::since(cpu_before, cpu::children());
    if !output.status.success() {
        return Err(ExternalError::Failed {
            program: name,
            status: output.status,
            stderr: String::from_utf8_lossy(&output.stderr).trim().to_string(),
        });
    }
    Ok(Run {
        elapsed,
        cpu,
        stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
    })
}
