//! The project a command runs in: which `strata.toml`, which environment,
//! which database. Every command that talks to a database resolves it here
//! ([`resolve`], then [`Project::database_url`]), and destructive commands
//! ask [`confirm_protected`] first. Also the `strata config` command.

use crate::args::GlobalOptions;
use crate::error::CliError;
use crate::output::{json, Format, Paint};
use crate::Outcome;
use clap::Args;
use miette::{LabeledSpan, NamedSource, SourceSpan};
use std::io::{BufRead, IsTerminal, Write};
use std::path::PathBuf;
use strata_config::{Config, ConfigError, Environment, SchemaSource, Selection, CONFIG_FILE};
use strata_postgres::connect::mask_url;
use strata_postgres::dev_cluster::{DevCluster, DevState};

/// The resolved project: its config (an empty one when there is no
/// `strata.toml`), root folder and selected environment.
#[derive(Debug)]
pub struct Project {
    /// `None` when no `strata.toml` was found (defaults apply).
    pub file: Option<PathBuf>,
    pub config: Config,
    pub env: Environment,
    /// Variables from `.env` files that the process does not set: passed to
    /// the child processes Strata starts (psql, the app's binary).
    pub dotenv: Vec<(String, String)>,
}

/// Finds `strata.toml` (this folder or a parent), loads `.env` /
/// `.env.<env>` and resolves `--env` / `STRATA_ENV` / `--url`.
pub fn resolve(global: &GlobalOptions) -> Result<Project, CliError> {
    let cwd = std::env::current_dir().map_err(|e| {
        CliError::new("strata::cwd", "could not read the current folder").causes([e.to_string()])
    })?;
    let (file, config) = match Config::find(&cwd).map_err(from_config)? {
        Some(config) => (Some(config.path.clone()), config),
        None => (
            None,
            Config::parse(&cwd.join(CONFIG_FILE), String::new()).map_err(from_config)?,
        ),
    };
    let selection = Selection {
        name: global.env.clone(),
        url: global.url.clone(),
    };
    let process = |name: &str| std::env::var(name).ok();
    let (env, vars) =
        config
            .load_environment(&selection, &process)
            .map_err(|e| {
                match (&e, &file) {
            (ConfigError::UnknownEnvironment { .. }, None) => from_config(e).help(
                "there is no strata.toml here or in a parent folder: run `strata init` and add \
                 an [env.NAME] table with its url",
            ),
            _ => from_config(e),
        }
            })?;
    let dotenv = vars.from_files();
    Ok(Project {
        file,
        config,
        env,
        dotenv,
    })
}

impl Project {
    /// The project's dev cluster (under `.strata/dev/` next to `strata.toml`,
    /// or in the current folder).
    pub fn dev_cluster(&self) -> Result<DevCluster, CliError> {
        DevCluster::open(&self.config.root).map_err(crate::dev::from_dev)
    }

    /// The database to work on: `--url`, else the environment's URL, else
    /// (no environment selected) `DATABASE_URL`, else the running dev database.
    pub fn database_url(&self) -> Result<String, CliError> {
        if let Some(url) = &self.env.url {
            return Ok(url.clone());
        }
        // No environment chosen: the conventional variable, as most tools read it.
        if self.env.name.is_none() {
            if let Ok(url) = std::env::var("DATABASE_URL") {
                return Ok(url);
            }
        }
        let dev = self.dev_cluster()?;
        if dev.state() == DevState::Running {
            return Ok(dev.url());
        }
        let which = match &self.env.name {
            Some(name) => format!("environment `{name}` has no url"),
            None => "no --url and no environment selected".to_string(),
        };
        Err(CliError::new(
            "strata::no_database",
            format!("{which}, and the project's dev database is not running"),
        )
        .help(
            "start the dev database with `strata dev start`, pass --url postgres://…, or select \
             an environment with --env NAME (its url is set in strata.toml as [env.NAME] url = \
             \"${DATABASE_URL}\")",
        ))
    }

    /// The migrations folder: the one given on the command line, else
    /// strata.toml's `[migrations] dir` (default `migrations`).
    pub fn migrations_dir(&self, given: Option<PathBuf>) -> PathBuf {
        given.unwrap_or_else(|| self.config.migrations.dir.clone())
    }

    /// The server for throw-away shadow databases: the environment's
    /// `dev_url`, else the running dev database's server.
    pub fn shadow_url(&self) -> Option<String> {
        if let Some(url) = &self.env.dev_url {
            return Some(url.clone());
        }
        let dev = DevCluster::open(&self.config.root).ok()?;
        (dev.state() == DevState::Running).then(|| dev.server_url())
    }
}

/// A destructive action, for [`confirm_protected`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    /// `push`: applies a schema without a migration; never on a protected
    /// environment.
    Push,
    Migrate,
    Rollback,
}

impl Action {
    fn verb(self) -> &'static str {
        match self {
            Action::Push => "push",
            Action::Migrate => "migrate",
            Action::Rollback => "roll back",
        }
    }
}

/// Checks that `action` may run on `env`: always on an unprotected one;
/// `push` never on a protected one; `migrate` / `rollback` there with
/// `--yes`, or when the environment's name is typed on the terminal.
pub fn confirm_protected(env: &Environment, action: Action, yes: bool) -> Result<(), CliError> {
    let stdin = std::io::stdin();
    let terminal = stdin.is_terminal() && std::io::stderr().is_terminal();
    if terminal {
        let mut input = stdin.lock();
        let mut prompt = std::io::stderr();
        confirm_with(env, action, yes, Some((&mut input, &mut prompt)))
    } else {
        confirm_with(env, action, yes, None)
    }
}

/// [`confirm_protected`] with the terminal given (`None`: not a terminal).
pub fn confirm_with(
    env: &Environment,
    action: Action,
    yes: bool,
    terminal: Option<(&mut dyn BufRead, &mut dyn Write)>,
) -> Result<(), CliError> {
    if !env.protected {
        return Ok(());
    }
    let name = env.name.as_deref().unwrap_or("?");
    if action == Action::Push {
        return Err(CliError::new(
            "strata::protected::push",
            format!("refusing to push to the protected environment `{name}`"),
        )
        .help(format!(
            "push applies the schema without a migration; on `{name}` write a migration \
             (`strata generate`) and apply it with `strata migrate --env {name}`"
        )));
    }
    if yes {
        return Ok(());
    }
    let Some((input, prompt)) = terminal else {
        return Err(CliError::new(
            "strata::protected::confirm",
            format!(
                "`{name}` is a protected environment: {} needs confirmation",
                action.verb()
            ),
        )
        .help("not on a terminal, so pass --yes to confirm (e.g. in CI)"));
    };
    let _ = write!(
        prompt,
        "`{name}` is a protected environment. Type its name to {}: ",
        action.verb()
    );
    let _ = prompt.flush();
    let mut answer = String::new();
    input.read_line(&mut answer).map_err(|e| {
        CliError::new(
            "strata::protected::confirm",
            "could not read the confirmation",
        )
        .causes([e.to_string()])
    })?;
    if answer.trim() == name {
        Ok(())
    } else {
        Err(CliError::new(
            "strata::protected::confirm",
            format!("not confirmed: expected `{name}`, nothing was changed"),
        )
        .help(format!(
            "type the environment name exactly (`{name}`), or pass --yes"
        )))
    }
}

/// A config error as a report, with the file snippet underlined.
pub fn from_config(error: ConfigError) -> CliError {
    let code = match &error {
        ConfigError::Invalid { .. } => "strata::config::invalid",
        ConfigError::UndefinedVariable { .. } => "strata::config::undefined_variable",
        ConfigError::UnknownEnvironment { .. } => "strata::config::unknown_env",
        ConfigError::DotEnv { .. } => "strata::config::dotenv",
        _ => "strata::config",
    };
    let help = match &error {
        ConfigError::UndefinedVariable { name, .. } => format!(
            "set {name} in the environment, or in .env / .env.<env> next to strata.toml; or \
             write ${{{name}:-default}} to give a fallback"
        ),
        ConfigError::UnknownEnvironment { .. } => {
            "pick one of the listed environments with --env NAME (or STRATA_ENV), or add an \
             [env.NAME] table to strata.toml"
                .to_string()
        }
        ConfigError::DotEnv { .. } => {
            "write one KEY=VALUE per line; quote values with spaces or `#`".to_string()
        }
        ConfigError::Io { .. } => "check that the file exists and is readable".to_string(),
        _ => "fix strata.toml at the position shown; run `strata init` in an empty folder to \
              see a commented example"
            .to_string(),
    };
    let mut report = CliError::new(code, error.to_string()).help(help);
    if let Some((at, text)) = error.location() {
        let len = at
            .span
            .len()
            .max(1)
            .min(text.len().saturating_sub(at.span.start));
        let span = SourceSpan::new(at.span.start.into(), len);
        report.snippet = Some(Box::new((
            NamedSource::new(at.path.display().to_string(), text.to_string()),
            LabeledSpan::new_primary_with_span(Some("here".to_string()), span),
        )));
    }
    report
}

#[derive(Debug, Args)]
#[command(after_help = "\
Shows strata.toml as Strata reads it: the selected environment (--env, STRATA_ENV or
default_env), its URL with the password masked, and the project settings.

Examples:
  strata config
  strata config --env prod
  strata config --format json")]
pub struct ConfigArgs {
    /// Output: text for people, json for scripts.
    #[arg(long, value_enum, default_value_t = Format::Text)]
    pub format: Format,
}

/// `strata config`.
pub fn run(args: ConfigArgs, project: &Project) -> Outcome {
    let c = &project.config;
    let masked = |u: &Option<String>| u.as_deref().map(mask_url);
    let schema = c.schema.as_ref().map(|s| match s {
        SchemaSource::Sql(p) => ("sql", p.display().to_string()),
        SchemaSource::Snapshot(p) => ("snapshot", p.display().to_string()),
        SchemaSource::App(cmd) => ("app", cmd.clone()),
        _ => ("other", String::new()),
    });
    let url_note = match &project.env.url {
        Some(_) => None,
        None => Some("the project's dev database (strata dev start)"),
    };
    let stdout = match args.format {
        Format::Json => json(&serde_json::json!({
            "file": project.file.as_ref().map(|p| p.display().to_string()),
            "root": c.root.display().to_string(),
            "environment": project.env.name,
            "url": masked(&project.env.url),
            "dev_url": masked(&project.env.dev_url),
            "protected": project.env.protected,
            "environments": c.environment_names(),
            "schema": schema.as_ref().map(|(k, v)| serde_json::json!({ *k: v })),
            "migrations": {
                "dir": c.migrations.dir.display().to_string(),
                "prefix": c.migrations.prefix.to_string(),
                "table": c.migrations.table,
            },
            "filter": { "schemas": c.schemas, "tables": c.tables },
        })),
        Format::Text => {
            let p = Paint::stdout();
            let none = p.dim("(none)");
            let mut out = String::new();
            let mut line = |k: &str, v: String| out.push_str(&format!("{:<13} {v}\n", p.bold(k)));
            line(
                "file",
                project
                    .file
                    .as_ref()
                    .map_or(format!("{none} — run `strata init`"), |f| {
                        f.display().to_string()
                    }),
            );
            line(
                "environment",
                match &project.env.name {
                    Some(n) if project.env.protected => format!("{n} {}", p.yellow("(protected)")),
                    Some(n) => n.clone(),
                    None => none.clone(),
                },
            );
            line(
                "url",
                masked(&project.env.url)
                    .unwrap_or_else(|| url_note.unwrap_or_default().to_string()),
            );
            line(
                "dev url",
                masked(&project.env.dev_url)
                    .unwrap_or_else(|| "the dev database's server".to_string()),
            );
            let names = c.environment_names();
            line(
                "environments",
                if names.is_empty() {
                    none.clone()
                } else {
                    names.join(", ")
                },
            );
            line(
                "schema",
                schema.map_or(none.clone(), |(k, v)| format!("{k} = {v}")),
            );
            line(
                "migrations",
                format!(
                    "{} (prefix {}, table {})",
                    c.migrations.dir.display(),
                    c.migrations.prefix,
                    c.migrations.table
                ),
            );
            if !c.schemas.is_empty() || !c.tables.is_empty() {
                line(
                    "filter",
                    format!(
                        "schemas [{}] tables [{}]",
                        c.schemas.join(", "),
                        c.tables.join(", ")
                    ),
                );
            }
            out
        }
    };
    Outcome {
        stdout,
        ..Outcome::default()
    }
}

#[cfg(test)]
mod tests {
    use super::{confirm_with, Action};
    use strata_config::Environment;

    fn env(protected: bool) -> Environment {
        Environment {
            name: Some("prod".to_string()),
            url: Some("postgres://db/app".to_string()),
            dev_url: None,
            protected,
        }
    }

    fn typed(
        env: &Environment,
        action: Action,
        answer: &str,
    ) -> (Result<(), crate::error::CliError>, String) {
        let mut input = answer.as_bytes();
        let mut prompt = Vec::new();
        let result = confirm_with(env, action, false, Some((&mut input, &mut prompt)));
        (result, String::from_utf8(prompt).unwrap())
    }

    #[test]
    fn unprotected_environments_need_nothing() {
        for action in [Action::Push, Action::Migrate, Action::Rollback] {
            assert!(confirm_with(&env(false), action, false, None).is_ok());
        }
    }

    #[test]
    fn push_is_refused_even_with_yes() {
        let err = confirm_with(&env(true), Action::Push, true, None).unwrap_err();
        assert!(err.message.contains("refusing to push"), "{}", err.message);
        assert!(err.message.contains("`prod`"), "{}", err.message);
        let (result, _) = typed(&env(true), Action::Push, "prod\n");
        assert!(result.is_err());
    }

    #[test]
    fn without_a_terminal_yes_is_required() {
        let err = confirm_with(&env(true), Action::Migrate, false, None).unwrap_err();
        assert!(
            err.message.contains("needs confirmation"),
            "{}",
            err.message
        );
        assert!(err.help.unwrap().contains("--yes"));
        assert!(confirm_with(&env(true), Action::Migrate, true, None).is_ok());
        assert!(confirm_with(&env(true), Action::Rollback, true, None).is_ok());
    }

    #[test]
    fn on_a_terminal_the_name_must_be_typed() {
        let (result, prompt) = typed(&env(true), Action::Rollback, "prod\n");
        assert!(result.is_ok());
        assert!(prompt.contains("Type its name to roll back"), "{prompt}");
        let (result, _) = typed(&env(true), Action::Migrate, "y\n");
        let err = result.unwrap_err();
        assert!(err.message.contains("not confirmed"), "{}", err.message);
        let (result, _) = typed(&env(true), Action::Migrate, "");
        assert!(result.is_err(), "end of input is not a confirmation");
    }
}
