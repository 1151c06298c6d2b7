//! The command line: clap definitions only, no behaviour.

use clap::{Args, Parser, Subcommand, ValueEnum};

/// Strata: PostgreSQL schemas as one model, diffed and rendered as SQL.
#[derive(Debug, Parser)]
#[command(name = "strata", version)]
#[command(after_help = "\
SRC (for --from / --to) is one of:
  postgres://USER:PASSWORD@HOST:PORT/DB   a live database, introspected
  schema.sql                              SQL, applied to a throw-away shadow database
  migrations/                             every .sql file below it, in file-name order
  snapshot.json                           a snapshot written by `strata inspect`

Examples:
  strata inspect --from postgres://app@localhost/app > snapshot.json
  strata diff --from snapshot.json --to schema/ --dev-url postgres://app@localhost/postgres
  strata diff --from \"$DATABASE_URL\" --to snapshot.json --exit-code

Project settings and environments: strata.toml (`strata init`), `--env NAME` or
STRATA_ENV; `--url` overrides. A local database without Docker: `strata dev start`.

Exit codes: 0 ok, 1 error, 2 changes found (with `diff --exit-code`).
Colour only on a terminal; NO_COLOR turns it off.
Run `strata <COMMAND> --help` for each command's options and more examples.")]
pub struct Cli {
    #[command(flatten)]
    pub global: GlobalOptions,
    #[command(subcommand)]
    pub command: Command,
}

/// Options every command takes: which environment of `strata.toml`, or
/// which database outright. Resolved by `config::resolve`.
#[derive(Debug, Args)]
pub struct GlobalOptions {
    /// The environment ([env.NAME] in strata.toml) to use; default: STRATA_ENV,
    /// then default_env, else the project's dev database.
    #[arg(long = "env", global = true, value_name = "NAME")]
    pub env: Option<String>,
    /// The database URL, overriding the environment's.
    #[arg(long, global = true, value_name = "URL")]
    pub url: Option<String>,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Print the SQL that takes one schema to another.
    Diff(DiffArgs),
    /// Print a schema as a JSON snapshot or as the SQL that recreates it.
    Inspect(InspectArgs),
    /// Create strata.toml, a migrations folder and a schema folder (never overwrites).
    Init(crate::init::InitArgs),
    /// The project's local PostgreSQL, without Docker: start, stop, status, logs, reset, url, psql.
    Dev(crate::dev::DevArgs),
    /// Show the settings and the selected environment as Strata reads them.
    Config(crate::config::ConfigArgs),
    /// Print a shell completion script (bash, zsh, fish, elvish, powershell).
    Completions(crate::completions::CompletionsArgs),
}

/// Options shared by every command that reads sources.
#[derive(Debug, Args)]
pub struct SourceOptions {
    /// A PostgreSQL server where throw-away shadow databases may be created
    /// (needed for .sql sources), e.g. postgres://me@localhost/postgres.
    #[arg(
        long,
        env = "STRATA_DEV_URL",
        value_name = "URL",
        hide_env_values = true
    )]
    pub dev_url: Option<String>,
    /// Only schemas matching this glob (`*`, `?`; a leading `!` excludes). Repeatable.
    #[arg(long = "schema", value_name = "GLOB")]
    pub schemas: Vec<String>,
    /// Only tables matching this glob, as `name` or `schema.name`. Repeatable.
    #[arg(long = "table", value_name = "GLOB")]
    pub tables: Vec<String>,
}

#[derive(Debug, Args)]
#[command(after_help = "\
Examples:
  # what to run on a database to make it match the SQL files in schema/
  strata diff --from postgres://app@localhost/app --to schema/ --dev-url postgres://app@localhost/postgres

  # a column rename, never guessed: say it
  strata diff --from prod.json --to schema.sql --rename column:public.users.full_name=name

  # CI drift check: exit code 2 when the database differs from the snapshot
  strata diff --from \"$DATABASE_URL\" --to snapshot.json --exit-code

  # the classified change list (destructive, rewrites, locks) as JSON
  strata diff --from old.json --to new.json --format json")]
pub struct DiffArgs {
    /// The schema you have (SRC).
    #[arg(long, value_name = "SRC")]
    pub from: String,
    /// The schema you want (SRC).
    #[arg(long, value_name = "SRC")]
    pub to: String,
    /// A rename, as KIND:OLD=NEW (KIND: table, column, enum, enum_value,
    /// index, constraint, view, schema). Repeatable.
    #[arg(long = "rename", value_name = "KIND:OLD=NEW")]
    pub renames: Vec<String>,
    /// Output: the migration SQL, or the classified change list as JSON.
    #[arg(long, value_enum, default_value_t = DiffFormat::Sql)]
    pub format: DiffFormat,
    /// Exit with code 2 when there are changes (0 when there are none).
    #[arg(long)]
    pub exit_code: bool,
    #[command(flatten)]
    pub sources: SourceOptions,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum DiffFormat {
    Sql,
    Json,
}

#[derive(Debug, Args)]
#[command(after_help = "\
Examples:
  # snapshot a live database
  strata inspect --from postgres://app@localhost/app > snapshot.json

  # the DDL that recreates the schema of a folder of SQL files (checked by the server)
  strata inspect --from schema/ --format sql --dev-url postgres://app@localhost/postgres")]
pub struct InspectArgs {
    /// The schema to show (SRC).
    #[arg(long, value_name = "SRC")]
    pub from: String,
    /// Output: a versioned JSON snapshot, or the SQL that recreates the schema.
    #[arg(long, value_enum, default_value_t = InspectFormat::Json)]
    pub format: InspectFormat,
    #[command(flatten)]
    pub sources: SourceOptions,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum InspectFormat {
    Json,
    Sql,
}
