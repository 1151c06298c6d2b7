//! What the `schema-engine` and `generate` benchmarks share: their options,
//! and finding the programs they time side by side.

use crate::drizzle::Drizzle;
use std::path::PathBuf;

/// Options of `schema-engine` and `generate`.
#[derive(Debug, clap::Args)]
pub struct Options {
    /// Number of tables in the generated database.
    #[arg(long, default_value_t = 1000)]
    pub tables: usize,
    /// Timed runs per measurement (after one warm-up run).
    #[arg(long, default_value_t = 7)]
    pub runs: usize,
    /// The `strata` binary to time end to end [default: next to this binary].
    #[arg(long, value_name = "PATH")]
    pub strata: Option<PathBuf>,
    /// The drizzle-kit npm project [default: bench/drizzle of the workspace].
    #[arg(long, value_name = "DIR")]
    pub drizzle: Option<PathBuf>,
}

impl Options {
    /// The `strata` binary: `--strata`, else the one next to this binary;
    /// an error that says how to build it when it is not there.
    pub fn strata_binary(&self) -> Result<PathBuf, String> {
        let bin = self.strata.clone().unwrap_or_else(|| {
            std::env::current_exe()
                .ok()
                .and_then(|p| p.parent().map(|d| d.join("strata")))
                .unwrap_or_else(|| PathBuf::from("strata"))
        });
        bin.is_file().then_some(bin).ok_or_else(|| {
            "the `strata` binary was not found next to strata-bench: run `cargo build --release -p strata-cli` first (or pass --strata PATH)".to_string()
        })
    }

    /// The drizzle-kit project: `--drizzle`, else `bench/drizzle`; an error
    /// that says how to install it when it is not there.
    pub fn drizzle(&self) -> Result<Drizzle, String> {
        Drizzle::find(
            &self
                .drizzle
                .clone()
                .unwrap_or_else(|| crate::workspace_root().join("bench/drizzle")),
        )
    }
}
