//! Turning `--from` / `--to` strings into schemas, with the flag named in
//! every error. The work itself is `strata_postgres::source`.

use crate::args::SourceOptions;
use crate::error::{from_source, CliError};
use strata_postgres::source::{load, Source, SourceError};
use strata_schema::{Filter, Schema};

/// The filter given by `--schema` / `--table`.
pub fn filter(options: &SourceOptions) -> Filter {
    Filter {
        schemas: options.schemas.clone(),
        tables: options.tables.clone(),
    }
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
    filter: &Filter,
) -> Result<Schema, CliError> {
    let source = parse(flag, text, dev_url)?;
    load(&source, dev_url, filter)
        .await
        .map_err(|e| from_source(flag, e))
}

/// Loads two sources concurrently (a shadow database and a live database are
/// read at the same time); when both fail, the first one's error is reported.
pub async fn load_pair(
    (flag_a, a): (&str, &str),
    (flag_b, b): (&str, &str),
    dev_url: Option<&str>,
    filter: &Filter,
) -> Result<(Schema, Schema), CliError> {
    let source_a = parse(flag_a, a, dev_url)?;
    let source_b = parse(flag_b, b, dev_url)?;
    let (ra, rb) = tokio::join!(
        load(&source_a, dev_url, filter),
        load(&source_b, dev_url, filter)
    );
    let sa = ra.map_err(|e| from_source(flag_a, e))?;
    let sb = rb.map_err(|e| from_source(flag_b, e))?;
    Ok((sa, sb))
}
