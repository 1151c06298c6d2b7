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
        a.extensions.push(Extension {
            name: get(row, "name")?,
            schema,
            comment: get(row, "comment")?,
        });
    }
    Ok(())
}
