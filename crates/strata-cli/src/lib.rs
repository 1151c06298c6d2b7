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
mod completions;
mod config;
mod dev;
mod diff;
mod drop;
mod error;
mod generate;
mod import;
mod init;
mod inspect;
mod load;
mod migrate;
mod output;
mod push;
mod report;
mod rollback;
mod secrets;
mod status;
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
    // Any URL in the environment (DATABASE_URL, STRATA_DEV_URL, ...) may be
    // what a strata.toml `${VAR}` resolves to.
    for (_, value) in std::env::vars_os() {
        secrets.add_url(&value.to_string_lossy());
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
        let command = async {
            match cli.command {
                args::Command::Diff(mut a) => {
                    project_defaults(&project(&cli.global, &mut secrets)?, &mut a.sources);
                    diff::run(a, app).await
                }
                args::Command::Inspect(mut a) => {
                    project_defaults(&project(&cli.global, &mut secrets)?, &mut a.sources);
                    inspect::run(a, app).await
                }
                args::Command::Generate(a) => {
                    generate::run(a, app, &project(&cli.global, &mut secrets)?).await
                }
                args::Command::Check(a) => check::run(a, &project(&cli.global, &mut secrets)?),
                args::Command::Drop(a) => drop::run(a, &project(&cli.global, &mut secrets)?),
                args::Command::Init(a) => init::run(a),
                args::Command::Dev(a) => dev::run(a, &project(&cli.global, &mut secrets)?).await,
                args::Command::Config(a) => {
                    Ok(config::run(a, &project(&cli.global, &mut secrets)?))
                }
                args::Command::Completions(a) => Ok(completions::run(a)),
                args::Command::Migrate(a) => {
                    migrate::run(a, &project(&cli.global, &mut secrets)?).await
                }
                args::Command::Status(a) => {
                    status::run(a, &project(&cli.global, &mut secrets)?).await
                }
                args::Command::Rollback(a) => {
                    rollback::run(a, &project(&cli.global, &mut secrets)?).await
                }
                args::Command::Push(mut a) => {
                    let project = project(&cli.global, &mut secrets)?;
                    project_defaults(&project, &mut a.sources);
                    push::run(a, &project).await
                }
                args::Command::Import(args::ImportCommand::Drizzle(a)) => {
                    // Only a database named on the command line is touched.
                    let url = match cli.global.url.is_some() || cli.global.env.is_some() {
                        true => Some(project(&cli.global, &mut secrets)?.database_url()?),
                        false => None,
                    };
                    import::drizzle(a, url).await
                }
            }
        };
        tokio::select! {
            result = command => result,
            _ = tokio::signal::ctrl_c() => Err(interrupted().await),
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

/// Resolves the project (strata.toml, environment, .env files) and
/// remembers the passwords of every URL it produced, for masking.
fn project(
    global: &args::GlobalOptions,
    secrets: &mut secrets::Secrets,
) -> Result<config::Project, error::CliError> {
    let project = config::resolve(global)?;
    for url in [&project.env.url, &project.env.dev_url]
        .into_iter()
        .flatten()
    {
        secrets.add_url(url);
    }
    for (_, value) in &project.dotenv {
        secrets.add_url(value);
    }
    Ok(project)
}

/// What `diff` / `inspect` take from the project when the command line does
/// not say: the shadow server (`--dev-url`, STRATA_DEV_URL) is the
/// environment's `dev_url`, else the project's running dev database; the
/// `--schema` / `--table` filters are strata.toml's `[filter]`; the
/// migrator's tracking table is left out of what databases hold.
fn project_defaults(project: &config::Project, sources: &mut args::SourceOptions) {
    if sources.tracking.is_none() {
        sources.tracking = strata_migrate::TrackingTable::parse(&project.config.migrations.table);
    }
    if sources.dev_url.is_none() {
        sources.dev_url = project.shadow_url();
    }
    if sources.schemas.is_empty() && sources.tables.is_empty() {
        sources.schemas = project.config.schemas.clone();
        sources.tables = project.config.tables.clone();
    }
}

/// After Ctrl-C: the command's future is dropped mid-way, so the shadow
/// databases it had created are dropped here before the process exits.
async fn interrupted() -> error::CliError {
    let dropped = strata_postgres::shadow::drop_abandoned().await;
    let mut error = error::CliError::new("strata::interrupted", "interrupted (Ctrl-C)");
    if !dropped.is_empty() {
        error = error.help(format!(
            "dropped the shadow database(s) it had created: {}",
            dropped.join(", ")
        ));
    }
    error
}
