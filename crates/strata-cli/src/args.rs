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
    /// Run every command through your app's `db` binary (which knows the
    /// code's schema), e.g. "cargo run -q --bin db --".
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
    /// Create strata.toml, a migrations folder and a schema folder (never overwrites).
    Init(crate::init::InitArgs),
    /// The project's local PostgreSQL, without Docker: start, stop, status, logs, reset, url, psql.
    Dev(crate::dev::DevArgs),
    /// Show the settings and the selected environment as Strata reads them.
    Config(crate::config::ConfigArgs),
    /// Print a shell completion script (bash, zsh, fish, elvish, powershell).
    Completions(crate::completions::CompletionsArgs),
    /// Apply pending migrations of a migrations folder to a database.
    Migrate(MigrateArgs),
    /// Show applied, pending, modified, missing and out-of-order migrations.
    Status(StatusArgs),
    /// Undo the newest applied migrations with their down.sql.
    Rollback(RollbackArgs),
    /// Make a live database match a schema directly, without a migration file.
    Push(PushArgs),
    /// Convert another tool's migrations folder into a Strata one.
    #[command(subcommand)]
    #[command(after_help = "Example:\n  strata import drizzle drizzle --out migrations")]
    Import(ImportCommand),
}

#[derive(Debug, Subcommand)]
pub enum ImportCommand {
    /// A drizzle-kit `out` folder (0.x journal or 1.0 folders).
    Drizzle(ImportDrizzleArgs),
}

#[derive(Debug, Args)]
#[command(after_help = "\
Reads drizzle-kit 0.x (meta/_journal.json + NNNN_tag.sql with
`--> statement-breakpoint`) or 1.0 (YYYYMMDDHHMMSS_name/migration.sql) and
writes one Strata folder per migration. With --url, the migrations that
drizzle's migrator recorded in drizzle.__drizzle_migrations on that database
are recorded as applied in Strata's tracking table, so `strata migrate` runs
only the rest.

Examples:
  strata import drizzle drizzle --out migrations
  strata import drizzle drizzle --out migrations --url \"$DATABASE_URL\"")]
pub struct ImportDrizzleArgs {
    /// drizzle-kit's `out` folder.
    #[arg(value_name = "DIR")]
    pub dir: std::path::PathBuf,
    /// The Strata migrations folder to write (must be empty or absent).
    #[arg(long, value_name = "DIR", default_value = "migrations")]
    pub out: std::path::PathBuf,
    /// drizzle's history table, as SCHEMA.TABLE.
    #[arg(
        long,
        value_name = "SCHEMA.TABLE",
        default_value = "drizzle.__drizzle_migrations"
    )]
    pub drizzle_table: String,
    /// Strata's tracking table, as SCHEMA.TABLE.
    #[arg(long, value_name = "SCHEMA.TABLE", default_value = "strata.migrations")]
    pub tracking_table: String,
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
    /// The migrator's tracking table (from strata.toml, else the default),
    /// left out of every schema read from a database.
    #[arg(skip)]
    pub tracking: Option<strata_migrate::TrackingTable>,
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

/// Where migrations live and where they are applied (shared by migrate,
/// status and rollback).
#[derive(Debug, Args)]
pub struct MigrationTargetOptions {
    /// The migrations folder: one `<prefix>_<name>/up.sql` (+ down.sql) per
    /// migration (default: strata.toml's [migrations] dir, else `migrations`).
    #[arg(long, value_name = "DIR")]
    pub dir: Option<std::path::PathBuf>,
    /// The tracking table, as SCHEMA.TABLE, created if missing (default:
    /// strata.toml's [migrations] table, else strata.migrations).
    #[arg(long, value_name = "SCHEMA.TABLE")]
    pub tracking_table: Option<String>,
    /// How long to wait for another run's migrator lock (e.g. 60s, 500ms, 2m).
    #[arg(long, value_name = "DURATION", default_value = "60s", value_parser = crate::migrate::parse_duration)]
    pub lock_wait: std::time::Duration,
    /// `lock_timeout` for the migrations' statements (default: the server's).
    #[arg(long, value_name = "DURATION", value_parser = crate::migrate::parse_duration)]
    pub lock_timeout: Option<std::time::Duration>,
    /// `statement_timeout` for the migrations' statements (default: the server's).
    #[arg(long, value_name = "DURATION", value_parser = crate::migrate::parse_duration)]
    pub statement_timeout: Option<std::time::Duration>,
    /// How long a run's claim on a no-transaction migration lasts without
    /// renewal (a killed run blocks that migration for at most this long).
    #[arg(long, value_name = "DURATION", default_value = "30s", value_parser = crate::migrate::parse_duration)]
    pub lease: std::time::Duration,
}

#[derive(Debug, Args)]
#[command(after_help = "\
Each migration runs in its own transaction with the insert of its record in
the tracking table; a file with `-- strata:no-transaction` runs statement by
statement outside a transaction and resumes at the failed statement. Runs
from several machines at once are safe (also behind PgBouncer in transaction
mode): each migration is applied exactly once.

Examples:
  strata migrate --url \"$DATABASE_URL\" --dir migrations
  strata migrate --url \"$DATABASE_URL\" --dry-run
  strata migrate --url \"$DATABASE_URL\" --to 0004_add_orders
  strata migrate --url \"$DATABASE_URL\" --lock-timeout 5s --statement-timeout 10min")]
pub struct MigrateArgs {
    #[command(flatten)]
    pub target: MigrationTargetOptions,
    /// Also apply pending migrations older than the newest applied one
    /// (merged late from a branch).
    #[arg(long)]
    pub allow_out_of_order: bool,
    /// Print what would run; change nothing.
    #[arg(long)]
    pub dry_run: bool,
    /// Stop after this migration (its folder name).
    #[arg(long, value_name = "NAME")]
    pub to: Option<String>,
    /// Confirm a run on a protected environment without a terminal.
    #[arg(long)]
    pub yes: bool,
}

#[derive(Debug, Args)]
#[command(after_help = "\
Examples:
  strata status --url \"$DATABASE_URL\" --dir migrations
  strata status --url \"$DATABASE_URL\" --format json")]
pub struct StatusArgs {
    #[command(flatten)]
    pub target: MigrationTargetOptions,
    /// Output: a table, or JSON.
    #[arg(long, value_enum, default_value_t = StatusFormat::Text)]
    pub format: StatusFormat,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum StatusFormat {
    Text,
    Json,
}

#[derive(Debug, Args)]
#[command(after_help = "\
Examples:
  strata rollback --url \"$DATABASE_URL\"                 # the newest migration
  strata rollback --url \"$DATABASE_URL\" --steps 3
  strata rollback --url \"$DATABASE_URL\" --to 0002_users # keep 0002_users applied
  strata rollback --url \"$DATABASE_URL\" --dry-run")]
pub struct RollbackArgs {
    #[command(flatten)]
    pub target: MigrationTargetOptions,
    /// Roll back the newest N applied migrations (default 1).
    #[arg(long, value_name = "N", conflicts_with = "to")]
    pub steps: Option<usize>,
    /// Roll back every migration applied after NAME (NAME stays applied).
    #[arg(long, value_name = "NAME")]
    pub to: Option<String>,
    /// Also roll back irreversible migrations (no down.sql: only the record
    /// is removed; marked irreversible: the down.sql runs, lost data stays lost).
    #[arg(long)]
    pub force: bool,
    /// Print what would run; change nothing.
    #[arg(long)]
    pub dry_run: bool,
    /// Confirm a rollback on a protected environment without a terminal.
    #[arg(long)]
    pub yes: bool,
}

#[derive(Debug, Args)]
#[command(after_help = "\
The plan is `strata diff --from URL --to SRC`. It runs in one transaction
(statements that cannot run in one, such as ALTER TYPE ... ADD VALUE, run
after it and are listed). Before anything runs, constraints the push adds
(NOT NULL, UNIQUE, primary keys, unique indexes) are checked against the
rows: violations are counted and the push refused. Destructive changes need
--accept-data-loss (or, on a terminal, typing `yes`). Never truncates. The
tracking table's schema is left alone.

Examples:
  strata push --url postgres://app@localhost/app --to schema.sql --dev-url postgres://app@localhost/postgres
  strata push --url \"$DATABASE_URL\" --to snapshot.json --dry-run
  strata push --url \"$DATABASE_URL\" --to snapshot.json --accept-data-loss")]
pub struct PushArgs {
    /// The schema you want (SRC; default: strata.toml's [schema] sql or snapshot).
    #[arg(long, value_name = "SRC")]
    pub to: Option<String>,
    /// Apply destructive changes (dropped tables, columns, ...) without asking.
    #[arg(long)]
    pub accept_data_loss: bool,
    /// Print the statements; change nothing.
    #[arg(long)]
    pub dry_run: bool,
    /// The migrations tracking table (its schema is never pushed; its lock
    /// is taken; default: strata.toml's [migrations] table, else strata.migrations).
    #[arg(long, value_name = "SCHEMA.TABLE")]
    pub tracking_table: Option<String>,
    /// How long to wait for a running `strata migrate` or push.
    #[arg(long, value_name = "DURATION", default_value = "60s", value_parser = crate::migrate::parse_duration)]
    pub lock_wait: std::time::Duration,
    #[command(flatten)]
    pub sources: SourceOptions,
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
    /// The migrations folder (default: strata.toml's [migrations] dir, else `migrations`).
    #[arg(long, value_name = "DIR")]
    pub dir: Option<std::path::PathBuf>,
    /// The prefix style (default: strata.toml's [migrations] prefix, else the
    /// newest migration's, index for the first).
    #[arg(long, value_enum, value_name = "STYLE")]
    pub prefix: Option<PrefixArg>,
    /// A rename, as KIND:OLD=NEW (as for `diff`). Repeatable.
    #[arg(long = "rename", value_name = "KIND:OLD=NEW")]
    pub renames: Vec<String>,
    /// Every dropped and added table or column is a drop and an add, not a rename (no prompt).
    #[arg(long, conflicts_with = "renames")]
    pub no_rename: bool,
    /// The new schema (SRC, or `app`); default: the app's, else strata.toml's [schema].
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

Examples:
  strata check
  strata check --dir db/migrations --format json   # in CI

Exit codes: 0 no problems, 1 problems found (or the folder cannot be read).")]
pub struct CheckArgs {
    /// Output: the problems for people (stderr), or JSON on stdout for scripts.
    #[arg(long, value_enum, default_value_t = crate::output::Format::Text)]
    pub format: crate::output::Format,
    /// The migrations folder (default: strata.toml's [migrations] dir, else `migrations`).
    #[arg(long, value_name = "DIR")]
    pub dir: Option<std::path::PathBuf>,
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
    /// The migrations folder (default: strata.toml's [migrations] dir, else `migrations`).
    #[arg(long, value_name = "DIR")]
    pub dir: Option<std::path::PathBuf>,
}
