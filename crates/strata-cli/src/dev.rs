//! `strata dev`: the project's own PostgreSQL, without Docker — a private
//! cluster under `.strata/dev/` started from the installed server binaries
//! (`strata_postgres::dev_cluster`).

use crate::config::Project;
use crate::error::CliError;
use crate::output::{json, Format, Paint};
use crate::Outcome;
use clap::{Args, Subcommand};
use strata_postgres::cluster::ClusterError;
use strata_postgres::dev_cluster::{DevCluster, DevError, DevState, DEV_DATABASE};

#[derive(Debug, Args)]
#[command(after_help = "\
The dev database lives in .strata/dev/ next to strata.toml (or in the current folder),
on a port chosen once and remembered there. It keeps running after the shell exits
and keeps its data across stop/start; `reset` recreates it empty. With no --url and
no environment URL, Strata commands use it.

Examples:
  strata dev start
  psql \"$(strata dev url)\"
  strata dev psql -c 'select version()'
  strata dev status --format json
  strata dev reset
  strata dev stop")]
pub struct DevArgs {
    #[command(subcommand)]
    pub command: DevCommand,
}

#[derive(Debug, Subcommand)]
pub enum DevCommand {
    /// Create (first time) and start the dev database.
    #[command(after_help = "Example:\n  strata dev start")]
    Start,
    /// Stop the dev database, keeping its data.
    #[command(after_help = "Example:\n  strata dev stop")]
    Stop,
    /// Show whether the dev database runs, its port, URL and folder.
    #[command(after_help = "Examples:\n  strata dev status\n  strata dev status --format json")]
    Status {
        /// Output: text for people, json for scripts.
        #[arg(long, value_enum, default_value_t = Format::Text)]
        format: Format,
    },
    /// Print the end of the server log.
    #[command(after_help = "Examples:\n  strata dev logs\n  strata dev logs --lines 200")]
    Logs {
        /// How many lines from the end.
        #[arg(long, short = 'n', default_value_t = 50)]
        lines: usize,
    },
    /// Drop and recreate the dev database (all its data is lost).
    #[command(after_help = "Example:\n  strata dev reset")]
    Reset,
    /// Reset the dev database, then bring it up to date.
    #[command(after_help = "Example:\n  strata dev fresh")]
    Fresh,
    /// Print the dev database's URL.
    #[command(after_help = "Examples:\n  strata dev url\n  export DATABASE_URL=$(strata dev url)")]
    Url {
        /// Output: the bare URL, or json.
        #[arg(long, value_enum, default_value_t = Format::Text)]
        format: Format,
    },
    /// Run psql on the dev database; arguments after `psql` go to psql.
    #[command(after_help = "Examples:\n  strata dev psql\n  strata dev psql -c 'table users'")]
    Psql {
        /// Arguments for psql.
        #[arg(
            trailing_var_arg = true,
            allow_hyphen_values = true,
            value_name = "PSQL_ARGS"
        )]
        args: Vec<String>,
    },
}

/// A dev-database error as a report.
pub fn from_dev(error: DevError) -> CliError {
    match error {
        DevError::Cluster(ClusterError::BinariesNotFound) => CliError::new(
            "strata::dev::no_server",
            "the PostgreSQL server binaries (initdb, pg_ctl, postgres) were not found",
        )
        .help(
            "install the `postgresql` package (Debian/Ubuntu: `apt-get install postgresql`, \
             Fedora: `dnf install postgresql-server`, macOS: `brew install postgresql`), or set \
             STRATA_PG_BINDIR to the folder that holds initdb and pg_ctl",
        ),
        DevError::Cluster(e @ ClusterError::NotAccessible { .. }) => {
            CliError::new("strata::dev::not_accessible", e.to_string()).help(
                "move the project out of /root (e.g. to /srv or /home), or `chmod o+x` its parent \
                 folders, or run strata as a regular user",
            )
        }
        DevError::NotRunning => CliError::new(
            "strata::dev::not_running",
            "the dev database is not running",
        )
        .help("start it with `strata dev start`"),
        other => {
            let mut causes = Vec::new();
            let mut next = std::error::Error::source(&other);
            while let Some(e) = next {
                causes.push(e.to_string());
                next = e.source();
            }
            CliError::new("strata::dev", other.to_string())
                .causes(causes)
                .help(
                    "see `strata dev logs` for the server's own messages; `strata dev status` \
                     shows where its data folder is",
                )
        }
    }
}

/// Runs one `strata dev` command.
pub async fn run(args: DevArgs, project: &Project) -> Result<Outcome, CliError> {
    let mut dev = project.dev_cluster()?;
    let p = Paint::stdout();
    let mut out = Outcome::default();
    match args.command {
        DevCommand::Start => {
            let was_running = dev.start().await.map_err(from_dev)?;
            let what = if was_running {
                "already running"
            } else {
                "started"
            };
            out.stdout = format!(
                "{} dev database {what}: {}\n",
                p.green("✔"),
                p.bold(&dev.url())
            );
        }
        DevCommand::Stop => {
            let was_running = dev.stop().map_err(from_dev)?;
            out.stdout = if was_running {
                format!("{} dev database stopped (data kept)\n", p.green("✔"))
            } else {
                "dev database was not running\n".to_string()
            };
        }
        DevCommand::Status { format } => {
            let state = dev.state();
            out.stdout = match format {
                Format::Json => json(&serde_json::json!({
                    "state": state.as_str(),
                    "running": state == DevState::Running,
                    "port": dev.cluster.port,
                    "url": dev.url(),
                    "database": DEV_DATABASE,
                    "data_dir": dev.cluster.data_dir.display().to_string(),
                    "log_file": dev.cluster.log_file().display().to_string(),
                })),
                Format::Text => {
                    let shown = match state {
                        DevState::Running => p.green(state.as_str()),
                        _ => p.yellow(state.as_str()),
                    };
                    let mut text = format!("dev database {shown}\n");
                    if state != DevState::NotCreated {
                        text.push_str(&format!("  url   {}\n", dev.url()));
                        text.push_str(&format!("  data  {}\n", dev.cluster.data_dir.display()));
                    } else {
                        text.push_str("  create and start it with `strata dev start`\n");
                    }
                    text
                }
            };
        }
        DevCommand::Logs { lines } => {
            let path = dev.cluster.log_file();
            let text = std::fs::read_to_string(&path).map_err(|e| {
                CliError::new(
                    "strata::dev::logs",
                    format!("could not read the server log {}", path.display()),
                )
                .causes([e.to_string()])
                .help("the log exists once the dev database has been started: `strata dev start`")
            })?;
            let all: Vec<&str> = text.lines().collect();
            let tail = &all[all.len().saturating_sub(lines)..];
            out.stdout = tail.iter().map(|l| format!("{l}\n")).collect();
        }
        DevCommand::Reset => {
            dev.reset().await.map_err(from_dev)?;
            out.stdout = format!("{} dev database recreated (empty)\n", p.green("✔"));
        }
        DevCommand::Fresh => {
            if dev.state() != DevState::Running {
                dev.start().await.map_err(from_dev)?;
            }
            dev.reset().await.map_err(from_dev)?;
            out.stdout = format!("{} dev database recreated (empty)\n", p.green("✔"));
            out.stderr.extend(after_fresh(project, &dev.url()).await?);
        }
        DevCommand::Url { format } => {
            out.stdout = match format {
                Format::Json => json(&serde_json::json!({ "url": dev.url() })),
                Format::Text => format!("{}\n", dev.url()),
            };
        }
        DevCommand::Psql { args } => {
            out.exit = psql(project, &dev, &args)?;
        }
    }
    Ok(out)
}

/// What `strata dev fresh` does after the reset: bring the empty database
/// up to date with the project's migrations (the same migrator, lock and
/// checksums as `strata migrate`). Returns notes for stderr.
async fn after_fresh(project: &Project, url: &str) -> Result<Vec<String>, CliError> {
    let dir = &project.config.migrations.dir;
    if !dir.is_dir() {
        return Ok(vec![format!(
            "note: no migrations folder at {}; the database stays empty",
            dir.display()
        )]);
    }
    let migrations =
        strata_migrate::load(dir).map_err(|e| crate::migrate::from_migrate(e, "dev fresh"))?;
    let target = strata_migrate::Target {
        tracking: crate::migrate::tracking_table(None, project)?,
        ..strata_migrate::Target::new(url)
    };
    let report = strata_migrate::migrate(&target, &migrations, &Default::default())
        .await
        .map_err(|e| crate::migrate::from_migrate(e, "dev fresh"))?;
    let names: Vec<&str> = report.applied.iter().map(|m| m.name.as_str()).collect();
    Ok(vec![if names.is_empty() {
        format!("note: {} holds no migrations", dir.display())
    } else {
        format!("applied {} migration(s): {}", names.len(), names.join(", "))
    }])
}

/// Runs `psql` (the server's, else the one on PATH) on the dev database,
/// with the terminal; returns its exit code (0, or 1 when it failed).
fn psql(project: &Project, dev: &DevCluster, args: &[String]) -> Result<u8, CliError> {
    if dev.state() != DevState::Running {
        return Err(from_dev(DevError::NotRunning));
    }
    let bundled = dev.cluster.bin_dir.join("psql");
    let program = if bundled.is_file() {
        bundled
    } else {
        "psql".into()
    };
    let status = std::process::Command::new(&program)
        .arg(dev.url())
        .args(args)
        .envs(project.dotenv.iter().map(|(k, v)| (k, v)))
        .status()
        .map_err(|e| {
            CliError::new(
                "strata::dev::psql",
                format!("could not run {}", program.display()),
            )
            .causes([e.to_string()])
            .help("install the PostgreSQL client (`postgresql-client`), which provides psql")
        })?;
    Ok(if status.success() { 0 } else { 1 })
}
