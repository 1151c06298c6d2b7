//! Runs a command with a throw-away PostgreSQL server: starts a private
//! cluster (or uses STRATA_TEST_DATABASE_URL), creates a fresh database, sets
//! `DATABASE_URL` (that database) and `STRATA_DEV_URL` (the server's
//! `postgres` database, for shadow databases), runs the command, and cleans up.
//!
//! Used by the quickstart and the benchmarks so they need no set-up by hand:
//! `with-scratch-postgres bash examples/quickstart.sh`.

use std::process::{Command, ExitCode};

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let Some((program, rest)) = args.split_first() else {
        eprintln!("usage: with-scratch-postgres COMMAND [ARGS...]");
        return ExitCode::from(1);
    };
    let rt = match tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
    {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("error: could not start a runtime: {e}");
            return ExitCode::from(1);
        }
    };
    let db = rt.block_on(strata_testkit::TestDatabase::create());
    let server = strata_testkit::server();
    let status = Command::new(program)
        .args(rest)
        .env("DATABASE_URL", db.url())
        .env("STRATA_DEV_URL", format!("{}/postgres", server.base_url))
        .status();
    drop(db);
    match status {
        Ok(s) if s.success() => ExitCode::SUCCESS,
        Ok(s) => ExitCode::from(u8::try_from(s.code().unwrap_or(1)).unwrap_or(1)),
        Err(e) => {
            eprintln!("error: could not run `{program}`: {e}");
            ExitCode::from(1)
        }
    }
}
