//! The app binary: a user's crate gets every `strata` command, plus the ones
//! that need the code's schema (`generate`, `diff --to app`), with a
//! three-line `db` binary:
//!
//! ```no_run
//! use std::process::ExitCode;
//! # fn declared() -> strata_schema::Schema { strata_schema::Schema::default() }
//! fn main() -> ExitCode {
//!     strata_cli::run_app(strata_cli::App::new(declared()), std::env::args_os())
//! }
//! ```
//!
//! The prebuilt `strata` binary reaches that binary by delegation: given
//! `--app CMD`, `STRATA_APP=CMD` or `[schema] app = "CMD"` in `strata.toml`,
//! e.g. `"cargo run -q --bin db --"`, it runs `CMD`
//! followed by its own arguments and passes stdout, stderr and the exit code
//! through. The app binary never delegates again.

use crate::error::CliError;
use crate::load::{load_one, Scope};
use std::ffi::OsString;
use std::process::{Command, ExitCode};
use strata_schema::{RenameHints, Schema};

/// The SRC keyword for the code's schema: `strata diff --from DB --to app`.
/// A file or folder literally named `app` is reached as `./app`.
pub const APP_SOURCE: &str = "app";

/// The environment variable that names the app command for delegation.
pub const APP_ENV: &str = "STRATA_APP";

/// Set in the delegated command's environment so that it never delegates again.
const DELEGATED_ENV: &str = "STRATA_DELEGATED";

/// What an app's `db` binary knows: the schema its code declares and the
/// renames declared there (`#[strata(renamed_from = "...")]`).
#[derive(Debug, Clone, Default)]
pub struct App {
    pub(crate) schema: Schema,
    pub(crate) renames: RenameHints,
}

impl App {
    /// An app whose code declares `schema`: the whole database it expects.
    /// A schema without the `public` schema gets it as every new database
    /// has it, so that a derive-built schema (which lists only its own
    /// tables) never reads as "drop schema public".
    pub fn new(mut schema: Schema) -> Self {
        if !schema.namespaces.iter().any(|n| n.name == "public") {
            schema
                .namespaces
                .extend(strata_postgres::source::empty_database().namespaces);
        }
        schema.normalize();
        Self {
            schema,
            renames: RenameHints::default(),
        }
    }

    /// The renames declared in code. Hints whose old object is gone from the
    /// migrations' state (applied by an earlier migration) are skipped.
    pub fn with_renames(mut self, renames: RenameHints) -> Self {
        self.renames = renames;
        self
    }

    /// The code's schema.
    pub fn schema(&self) -> &Schema {
        &self.schema
    }
}

/// True when `text` names the code's schema.
pub(crate) fn is_app_source(text: &str) -> bool {
    text == APP_SOURCE
}

/// Loads a SRC that may be the `app` keyword.
pub(crate) async fn load_side(
    flag: &str,
    text: &str,
    app: Option<&App>,
    dev_url: Option<&str>,
    scope: &Scope,
) -> Result<Schema, CliError> {
    if !is_app_source(text) {
        return load_one(flag, text, dev_url, scope).await;
    }
    match app {
        Some(app) => Ok(scope.filter.apply(app.schema.clone())),
        None => Err(no_app(&format!("`{flag} {APP_SOURCE}`"))),
    }
}

/// The error for a command that needs the code's schema without an app;
/// `what` names the command or flag that needs it.
pub(crate) fn no_app(what: &str) -> CliError {
    CliError::new(
        "strata::no_app",
        format!("{what} needs the code's schema, and this `strata` binary does not know it"),
    )
    .help(format!(
        "run the command through your crate's `db` binary (`strata_cli::run_app`), or point \
         `strata` at it with `--app \"cargo run -q --bin db --\"` or {APP_ENV}=\"cargo run -q --bin db --\" \
         (strata.toml's `[schema] app` will name it too); or give the schema as a source: \
         `--to schema.sql` or `--to schema/` (with --dev-url), or `--to snapshot.json`"
    ))
}

/// The app command to delegate to, from `--app CMD` / `--app=CMD` (taken out
/// of `args`), the environment, or strata.toml's `[schema] app`; `None`
/// inside a delegated run.
pub(crate) fn delegation(args: &mut Vec<OsString>) -> Option<String> {
    let mut command = None;
    let mut i = 1;
    while i < args.len() {
        let arg = args[i].to_string_lossy().into_owned();
        if arg == "--" {
            break;
        }
        if arg == "--app" && i + 1 < args.len() {
            command = Some(args[i + 1].to_string_lossy().into_owned());
            args.drain(i..i + 2);
            continue;
        }
        if let Some(value) = arg.strip_prefix("--app=") {
            command = Some(value.to_string());
            args.remove(i);
            continue;
        }
        i += 1;
    }
    if std::env::var_os(DELEGATED_ENV).is_some() {
        return None;
    }
    command
        .or_else(|| std::env::var(APP_ENV).ok())
        .or_else(configured_app)
        .filter(|c| !c.trim().is_empty())
}

/// strata.toml's `[schema] app`. A strata.toml that cannot be read is left
/// for the command itself to report (with its file:line:col).
fn configured_app() -> Option<String> {
    let cwd = std::env::current_dir().ok()?;
    match strata_config::Config::find(&cwd).ok()??.schema {
        Some(strata_config::SchemaSource::App(command)) => Some(command),
        _ => None,
    }
}

/// Runs the app command with `args` (without the program name), stdio
/// inherited, and returns its exit code. The command is a shell command
/// line (`cargo run -q --bin db --`); the arguments are passed to it as
/// separate words, never re-parsed by the shell.
pub(crate) fn delegate(command: &str, args: &[OsString]) -> ExitCode {
    let status = Command::new("sh")
        .arg("-c")
        .arg(format!("{command} \"$@\""))
        .arg("strata")
        .args(args)
        .env(DELEGATED_ENV, "1")
        .status();
    match status {
        Ok(s) => match s.code() {
            Some(code) => ExitCode::from(u8::try_from(code).unwrap_or(1)),
            None => ExitCode::from(1),
        },
        Err(e) => {
            eprintln!(
                "error: could not run the app command `{command}` (from --app or {APP_ENV}): {e}\n  \
                 help: check that it runs on its own, e.g. `{command} --help`"
            );
            ExitCode::from(1)
        }
    }
}
