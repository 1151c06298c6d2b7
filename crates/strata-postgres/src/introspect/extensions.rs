//! Installed extensions (their member objects are never modelled).

use super::rows::get;
use super::{Assembly, Query};
use crate::error::Error;
use strata_schema::Extension;
use tokio_postgres::Row;

pub(super) const QUERY: Query = Query {
    what: "extensions",
    sql: include_str!("extensions.sql"),
};

pub(super) fn apply(rows: &[Row], a: &mut Assembly) -> Result<(), Error> {
    for row in rows {
        let schema: String = get(row, "schema")?;
        // An extension installed into pg_catalog is still the user's choice.
        if schema != "pg_catalog" && !a.filter.includes_schema(&schema) {
            continue;
        }
        a.extensions.push(Extension {
            name: get(row, "name")?,
            schema,
            comment: get(row, "comment")?,
        });
    }
    Ok(())
}
