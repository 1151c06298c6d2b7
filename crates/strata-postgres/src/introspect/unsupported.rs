//! Objects seen in the catalog but not modelled, listed by kind and name.

use super::rows::get;
use super::{Assembly, Query};
use crate::error::Error;
use strata_schema::{QualifiedName, Unsupported};
use tokio_postgres::Row;

pub(super) const QUERY: Query = Query {
    what: "unsupported objects",
    sql: include_str!("unsupported.sql"),
};

pub(super) fn apply(rows: &[Row], a: &mut Assembly) -> Result<(), Error> {
    for row in rows {
        let schema: Option<String> = get(row, "schema")?;
        let table: Option<String> = get(row, "table_name")?;
        let included = match (schema, table) {
            (Some(s), Some(t)) => a.filter.includes_table(&QualifiedName::new(s, t)),
            (Some(s), None) => a.filter.includes_schema(&s),
            // Database-wide objects (event triggers, publications).
            (None, _) => true,
        };
        if included {
            a.unsupported.push(Unsupported {
                kind: get(row, "kind")?,
                name: get(row, "name")?,
            });
        }
    }
    Ok(())
}
