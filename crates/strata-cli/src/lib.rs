//! The `strata` command as a library: [`run`] parses arguments, runs one
//! command and prints its output. The prebuilt `strata` binary is a one-line
//! `main` around it, so an app's own `db` binary can offer the same commands.
//!
//! Commands hold no schema logic: sources, shadow databases, diffing and
//! rendering live in `strata-schema` and `strata-postgres`. Here we parse
//! arguments, print results, and turn errors into reports (miette).

mod app;
mod args;
mod check;
mod diff;
mod drop;
mod error;
mod generate;
mod inspect;
mod load;
mod report;
mod secrets;
mod warnings;

pub use app::{App, APP_ENV, APP_SOURCE};
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
///
/// With `--app CMD` or `STRATA_APP=CMD`, every command runs through the
/// app's binary instead (see [`App`]): its output and exit code are passed
/// through.
pub fn run<I, T>(args: I) -> ExitCode
where
    I: IntoIterator<Item = T>,
    T: Into<OsString>,
{
    let mut args: Vec<OsString> = args.into_iter().map(Into::into).collect();
    if let Some(command) = app::delegation(&mut args) {
        return app::delegate(&command, args.get(1..).unwrap_or_default());
    }
    run_with(None, args)
}

/// Runs `strata` inside an app's own `db` binary: every command, plus those
/// that need the code's schema (`generate`, `diff --to app`).
///
/// ```no_run
/// # let schema = strata_schema::Schema::default();
/// let app = strata_cli::App::new(schema);
/// std::process::exit(if strata_cli::run_app(app, ["db", "generate"]) == std::process::ExitCode::SUCCESS { 0 } else { 1 });
/// ```
pub fn run_app<I, T>(app: App, args: I) -> ExitCode
where
    I: IntoIterator<Item = T>,
    T: Into<OsString>,
{
    run_with(Some(&app), args.into_iter().map(Into::into).collect())
}

fn run_with(app: Option<&App>, args: Vec<OsString>) -> ExitCode {
    // Every URL on the command line or in the environment, whether or not
    // the arguments parse: even a usage error must not echo a password.
    let mut secrets = secrets::Secrets::default();
    for arg in &args {
        let arg = arg.to_string_lossy();
        let value = arg.split_once('=').filter(|_| arg.starts_with("--"));
        secrets.add_url(value.map_or(&*arg, |(_, v)| v));
    }
    if let Some(url) = std::env::var_os("STRATA_DEV_URL") {
        secrets.add_url(&url.to_string_lossy());
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
            args::Command::Diff(a) => diff::run(a, app).await,
            args::Command::Inspect(a) => inspect::run(a, app).await,
            args::Command::Generate(a) => generate::run(a, app).await,
            args::Command::Check(a) => check::run(a),
            args::Command::Drop(a) => drop::run(a),
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
