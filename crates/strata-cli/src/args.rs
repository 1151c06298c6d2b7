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
  app                                     the code's schema (in your app's `db` binary, or with --app)

Examples:
  strata inspect --from postgres://app@localhost/app > snapshot.json
  strata diff --from snapshot.json --to schema/ --dev-url postgres://app@localhost/postgres
  strata diff --from \"$DATABASE_URL\" --to snapshot.json --exit-code

Exit codes: 0 ok, 1 error, 2 changes found (with `diff --exit-code`).
Run `strata <COMMAND> --help` for each command's options and more examples.")]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
    /// Run every command through your app's `db` binary (which knows the
    /// code's schema), e.g. "cargo run -q --bin db --". strata.toml's
    /// `[schema] app` will name it too.
    #[arg(long, global = true, env = "STRATA_APP", value_name = "CMD")]
    pub app: Option<String>,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Print the SQL that takes one schema to another.
    Diff(DiffArgs),
    /// Print a schema as a JSON snapshot or as the SQL that recreates it.
    Inspect(InspectArgs),
    /// Write the next migration: from the migrations folder's newest snapshot to the code's schema.
    Generate(GenerateArgs),
    /// Find problems in the migrations folder: forked or broken history, edited snapshots, bad folders.
    Check(CheckArgs),
    /// Remove the newest migration folder (the undo of `generate`).
    Drop(DropArgs),
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

#[derive(Debug, Args)]
#[command(after_help = "\
The previous state is the newest snapshot.json in the migrations folder (no
database needed); the new state is the code's schema (in your app's `db`
binary, or through it with --app / STRATA_APP) or --to SRC.

Examples:
  # through the app binary: the schema the code declares
  cargo run -q --bin db -- generate --name add_users

  # from SQL files (applied to a throw-away shadow database)
  strata generate --to schema/ --dev-url postgres://app@localhost/postgres --name add_users

  # a column rename, never guessed: say it (or answer the prompt on a terminal)
  strata generate --to schema.sql --rename column:public.users.full_name=name

  # an empty migration for hand-written SQL (data fixes)
  strata generate --custom --name backfill_emails

Exit codes: 0 written (or nothing to do), 1 error, 2 a possible rename needs an answer.")]
pub struct GenerateArgs {
    /// The migration's name, after its prefix: `<prefix>_<name>/`.
    #[arg(long, value_name = "N")]
    pub name: Option<String>,
    /// Write an empty up.sql/down.sql for hand-written SQL; the snapshot keeps the current state.
    #[arg(long)]
    pub custom: bool,
    /// The migrations folder.
    #[arg(long, value_name = "DIR", default_value = "migrations")]
    pub dir: std::path::PathBuf,
    /// The prefix style (default: the newest migration's, index for the first).
    #[arg(long, value_enum, value_name = "STYLE")]
    pub prefix: Option<PrefixArg>,
    /// A rename, as KIND:OLD=NEW (as for `diff`). Repeatable.
    #[arg(long = "rename", value_name = "KIND:OLD=NEW")]
    pub renames: Vec<String>,
    /// Every dropped and added table or column is a drop and an add, not a rename (no prompt).
    #[arg(long, conflicts_with = "renames")]
    pub no_rename: bool,
    /// The new schema (SRC, or `app`); default: the app's.
    #[arg(long, value_name = "SRC")]
    pub to: Option<String>,
    /// A PostgreSQL server for throw-away shadow databases (for .sql sources).
    #[arg(
        long,
        env = "STRATA_DEV_URL",
        value_name = "URL",
        hide_env_values = true
    )]
    pub dev_url: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum PrefixArg {
    /// `0001`, `0002`, ...
    Index,
    /// `20261122143022` (UTC).
    Timestamp,
    /// `2026-11-22`, then `2026-11-22-2`, ... the same day.
    Date,
}

#[derive(Debug, Args)]
#[command(after_help = "\
Reports, with the folders involved and how to fix each:
  two migrations that follow one parent (branches merged from git), a broken
  snapshot chain, an edited snapshot.json, duplicate prefixes, a snapshot from
  a newer Strata, a folder without up.sql or with a bad name.
Folders without snapshot.json (hand-written SQL) are fine.

Exit codes: 0 no problems, 1 problems found (or the folder cannot be read).")]
pub struct CheckArgs {
    /// The migrations folder.
    #[arg(long, value_name = "DIR", default_value = "migrations")]
    pub dir: std::path::PathBuf,
}

#[derive(Debug, Args)]
#[command(after_help = "\
Only the newest migration can be dropped. Roll it back first on every database
it was applied to: its down.sql goes with it.

Examples:
  strata drop
  strata drop 0007_add_users   # refuses unless 0007_add_users is the newest")]
pub struct DropArgs {
    /// The migration expected to be the newest (a safety check).
    #[arg(value_name = "NAME")]
    pub name: Option<String>,
    /// The migrations folder.
    #[arg(long, value_name = "DIR", default_value = "migrations")]
    pub dir: std::path::PathBuf,
}
