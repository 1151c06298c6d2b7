//! Turning `--from` / `--to` strings into schemas, with the flag named in
//! every error. The work itself is `strata_postgres::source`.

use crate::args::SourceOptions;
use crate::error::{from_source, CliError};
use strata_migrate::TrackingTable;
use strata_postgres::source::{Source, SourceError};
use strata_schema::{Filter, Schema};

/// What part of a source is read: the `--schema` / `--table` filter, and
/// the migrator's tracking table, which is never part of the app's schema.
#[derive(Debug, Clone, Default)]
pub struct Scope {
    pub filter: Filter,
    pub tracking: Option<TrackingTable>,
}

/// The scope the source options give.
pub fn scope(options: &SourceOptions) -> Scope {
    Scope {
        filter: Filter {
            schemas: options.schemas.clone(),
            tables: options.tables.clone(),
        },
        tracking: options.tracking.clone(),
    }
}

/// Loads a source within a scope.
async fn load(
    source: &Source,
    dev_url: Option<&str>,
    scope: &Scope,
) -> Result<Schema, SourceError> {
    let mut schema = strata_postgres::source::load(source, dev_url, &scope.filter).await?;
    if let Some(tracking) = &scope.tracking {
        tracking.hide_from(&mut schema);
    }
    Ok(schema)
}

/// Parses a source and checks, before any I/O, that a SQL source has a dev URL.
fn parse(flag: &str, text: &str, dev_url: Option<&str>) -> Result<Source, CliError> {
    let source = Source::parse(text).map_err(|e| from_source(flag, e))?;
    if source.needs_dev_url() && dev_url.is_none() {
        let path = text.into();
        return Err(from_source(flag, SourceError::NeedsDevUrl { path }));
    }
    Ok(source)
}

/// Loads one source.
pub async fn load_one(
    flag: &str,
    text: &str,
    dev_url: Option<&str>,
    scope: &Scope,
) -> Result<Schema, CliError> {
    let source = parse(flag, text, dev_url)?;
    load(&source, dev_url, scope)
        .await
        .map_err(|e| from_source(flag, e))
}

/// Loads two sources concurrently (a shadow database and a live database are
/// read at the same time); when both fail, the first one's error is reported.
pub async fn load_pair(
    (flag_a, a): (&str, &str),
    (flag_b, b): (&str, &str),
    dev_url: Option<&str>,
    scope: &Scope,
) -> Result<(Schema, Schema), CliError> {
    let source_a = parse(flag_a, a, dev_url)?;
    let source_b = parse(flag_b, b, dev_url)?;
    let (ra, rb) = tokio::join!(
        load(&source_a, dev_url, scope),
        load(&source_b, dev_url, scope)
    );
    let sa = ra.map_err(|e| from_source(flag_a, e))?;
    let sb = rb.map_err(|e| from_source(flag_b, e))?;
    Ok((sa, sb))
}
