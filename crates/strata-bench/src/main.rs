//! `strata-bench`: benchmarks of Strata's schema engine at scale, with the
//! baselines timed in the same run on the same machine.
//!
//! ```text
//! cargo build --release -p strata-cli -p strata-bench
//! target/release/strata-bench schema-engine            # prints Markdown for BENCHMARKS.md
//! target/release/strata-bench generate                 # `strata generate` at 1,000 tables
//! target/release/strata-bench generate-rust            # the same from a derive(Table) schema
//! ```
//!
//! The database server is a private throw-away cluster (strata-testkit), or
//! the server of `STRATA_BENCH_DATABASE_URL` (a superuser URL; the benchmark
//! creates and drops its own database there).

mod cpu;
mod database;
mod drizzle;
mod external;
mod generate;
mod generate_rust;
mod machine;
mod report;
mod schema_engine;
mod setup;
mod timing;

use clap::{Parser, Subcommand};
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Debug, Parser)]
#[command(name = "strata-bench", about = "Benchmarks of Strata's schema engine")]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Introspection and diff of an N-table database, against psql and drizzle-kit.
    SchemaEngine(schema_engine::Options),
    /// `strata generate` of a 1% change on an N-table schema (snapshot source), against drizzle-kit.
    Generate(generate::Options),
    /// `generate` of the same change on a schema declared with `#[derive(Table)]`
    /// (the app's own `db` binary; compile time reported apart), against drizzle-kit.
    GenerateRust(generate_rust::Options),
    /// Print the SQL that builds the benchmark database (and, with --changed,
    /// the 1% change), to build it by hand with psql.
    SchemaEngineSql {
        /// Number of tables.
        #[arg(long, default_value_t = 1000)]
        tables: usize,
        /// Print the 1% change instead of the database.
        #[arg(long)]
        changed: bool,
    },
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    // The test harness creates (and drops) its databases on the server of
    // STRATA_TEST_DATABASE_URL: point it at the benchmark's server, if given.
    if let Some(url) = std::env::var_os("STRATA_BENCH_DATABASE_URL") {
        std::env::set_var("STRATA_TEST_DATABASE_URL", url);
    }
    let runtime = match tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
    {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("error: could not start the async runtime: {e}");
            return ExitCode::from(1);
        }
    };
    let result = match cli.command {
        Command::SchemaEngine(options) => runtime.block_on(schema_engine::run(options)),
        Command::Generate(options) => runtime.block_on(generate::run(options)),
        Command::GenerateRust(options) => runtime.block_on(generate_rust::run(options)),
        Command::SchemaEngineSql { tables, changed } => Ok(if changed {
            database::change_sql(tables)
        } else {
            database::create_batches(tables).concat()
        }),
    };
    match result {
        Ok(markdown) => {
            print!("{markdown}");
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::from(1)
        }
    }
}

/// The workspace root, from where this crate sits in it.
fn workspace_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..")
}
