//! `strata inspect`: one schema as a snapshot or as the DDL that recreates it.

use crate::app::{load_side, App};
use crate::args::{InspectArgs, InspectFormat};
use crate::error::{from_diff, CliError};
use crate::load::scope;
use crate::{warnings, Outcome};
use strata_postgres::source::empty_database;
use strata_schema::{diff, RenameHints, Snapshot};

pub async fn run(args: InspectArgs, app: Option<&App>) -> Result<Outcome, CliError> {
    let scope = scope(&args.sources);
    let schema = load_side(
        "--from",
        &args.from,
        app,
        args.sources.dev_url.as_deref(),
        &scope,
    )
    .await?;
    let mut out = Outcome::default();
    out.stderr
        .extend(warnings::unsupported(&[("--from", &schema)]));
    out.stdout = match args.format {
        InspectFormat::Json => Snapshot::new(schema).to_json(),
        InspectFormat::Sql => {
            // The DDL is the migration from a new database: one renderer, one
            // truth. The baseline is filtered like the schema, so that
            // `--schema app` does not read as "drop public".
            let empty = scope.filter.apply(empty_database());
            let changes = diff(&empty, &schema, &RenameHints::default()).map_err(from_diff)?;
            let mut sql = strata_postgres::render::render(&changes).to_sql();
            if !sql.is_empty() && !sql.ends_with('\n') {
                sql.push('\n');
            }
            sql
        }
    };
    Ok(out)
}
