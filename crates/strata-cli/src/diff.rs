//! `strata diff`: the SQL (or the classified change list) from one schema to another.

use crate::app::{is_app_source, load_side, App};
use crate::args::{DiffArgs, DiffFormat};
use crate::error::{bad_rename, from_diff, CliError};
use crate::load::{load_pair, scope};
use crate::{warnings, Outcome};
use strata_schema::{diff, RenameHint, RenameHints};

pub async fn run(args: DiffArgs, app: Option<&App>) -> Result<Outcome, CliError> {
    // Hints first: a typo should fail before any database work.
    let hints = args
        .renames
        .iter()
        .map(|r| RenameHint::parse(r).map_err(|reason| bad_rename(r, reason)))
        .collect::<Result<Vec<_>, _>>()
        .map(RenameHints::new)?;
    let scope = scope(&args.sources);
    let dev_url = args.sources.dev_url.as_deref();
    let (from, to) = if is_app_source(&args.from) || is_app_source(&args.to) {
        // The code's schema needs no I/O: load the sides one after the other.
        (
            load_side("--from", &args.from, app, dev_url, &scope).await?,
            load_side("--to", &args.to, app, dev_url, &scope).await?,
        )
    } else {
        load_pair(("--from", &args.from), ("--to", &args.to), dev_url, &scope).await?
    };

    let mut out = Outcome::default();
    out.stderr
        .extend(warnings::unsupported(&[("--from", &from), ("--to", &to)]));
    let changes = diff(&from, &to, &hints).map_err(from_diff)?;
    match args.format {
        DiffFormat::Json => {
            let json = serde_json::to_string_pretty(&changes).map_err(|e| {
                CliError::new("strata::json", "could not write the change list as JSON")
                    .causes([e.to_string()])
            })?;
            out.stdout = json + "\n";
        }
        DiffFormat::Sql if changes.is_empty() => {}
        DiffFormat::Sql => {
            // The up script is the rendered change list: no second diff.
            out.stdout = strata_postgres::render::render(&changes).to_sql();
            if !out.stdout.ends_with('\n') {
                out.stdout.push('\n');
            }
        }
    }
    out.stderr.extend(warnings::destructive(&changes));
    if args.exit_code && !changes.is_empty() {
        out.exit = 2;
    }
    Ok(out)
}
