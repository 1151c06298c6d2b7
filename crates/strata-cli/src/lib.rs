//! The `strata` command as a library: [`run`] parses arguments, runs one
//! command and prints its output. The prebuilt `strata` binary is a one-line
//! `main` around it, so an app's own `db` binary can offer the same commands.
//!
//! Commands hold no schema logic: sources, shadow databases, diffing and
//! rendering live in `strata-schema` and `strata-postgres`. Here we parse
//! arguments, print results, and turn errors into reports (miette).

mod args;
mod diff;
mod error;
mod import;
mod inspect;
mod load;
mod migrate;
mod push;
mod report;
mod rollback;
mod secrets;
mod status;
mod warnings;

pub use args::Cli;

use clap::Parser;
use std::ffi::OsString;
use std::io::Write;
use std::process::ExitCode;

/// What a command produced; printed only once it has fully succeeded, so a
/// failed run never leaves half a migration on stdout.
#[derive(Debug, Default)]
pub(crate) struct Outcome {
    pub stdout: String,
    /// Warnings, one line each.
    pub stderr: Vec<String>,
    /// 0, or 2 for "changes found" under `--exit-code`.
    pub exit: u8,
}

/// Runs `strata` with these arguments (the first one is the program name).
/// Exit codes: 0 ok, 1 error, 2 changes found (`diff --exit-code`).
pub fn run<I, T>(args: I) -> ExitCode
where
    I: IntoIterator<Item = T>,
    T: Into<OsString>,
{
    let args: Vec<OsString> = args.into_iter().map(Into::into).collect();
    // Every URL on the command line or in the environment, whether or not
    // the arguments parse: even a usage error must not echo a password.
    let mut secrets = secrets::Secrets::default();
    for arg in &args {
        let arg = arg.to_string_lossy();
        let value = arg.split_once('=').filter(|_| arg.starts_with("--"));
        secrets.add_url(value.map_or(&*arg, |(_, v)| v));
    }
    for var in ["STRATA_DEV_URL", "DATABASE_URL"] {
        if let Some(url) = std::env::var_os(var) {
            secrets.add_url(&url.to_string_lossy());
        }
    }
    let cli = match Cli::try_parse_from(args) {
        Ok(cli) => cli,
        Err(e) => {
            let text = secrets.mask(&e.render().to_string());
            // --help and --version are successes; clap's own exit code for
            // usage errors (2) would read as "changes found", so use 1.
            if e.use_stderr() {
                eprint!("{text}");
                return ExitCode::from(1);
            }
            print!("{text}");
            return ExitCode::SUCCESS;
        }
    };
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
    let result = runtime.block_on(async {
        match cli.command {
            args::Command::Diff(a) => diff::run(a).await,
            args::Command::Inspect(a) => inspect::run(a).await,
            args::Command::Migrate(a) => migrate::run(a).await,
            args::Command::Status(a) => status::run(a).await,
            args::Command::Rollback(a) => rollback::run(a).await,
            args::Command::Push(a) => push::run(a).await,
            args::Command::Import(args::ImportCommand::Drizzle(a)) => import::drizzle(a).await,
        }
    });
    match result {
        Ok(out) => {
            let mut stderr = std::io::stderr().lock();
            for line in &out.stderr {
                let _ = writeln!(stderr, "{}", secrets.mask(line));
            }
            let mut stdout = std::io::stdout().lock();
            if stdout
                .write_all(out.stdout.as_bytes())
                .and_then(|()| stdout.flush())
                .is_err()
            {
                return ExitCode::from(1);
            }
            ExitCode::from(out.exit)
        }
        Err(error) => {
            report::print(&error, &secrets);
            ExitCode::from(1)
        }
    }
}
