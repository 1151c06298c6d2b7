//! Composite types (their attributes are read by the columns query).

use super::rows::{get, qualified};
use super::{Assembly, Query};
use crate::error::Error;
use strata_schema::CompositeType;
use tokio_postgres::Row;

pub(super) const QUERY: Query = Query {
    what: "composite types",
    sql: include_str!("composite_types.sql"),
};

pub(super) fn apply(rows: &[Row], a: &mut Assembly) -> Result<(), Error> {
    for row in rows {
        let name = qualified(row)?;
        a.composites.insert(
            get(row, "relid")?,
            CompositeType {
                name,
                attributes: Vec::new(),
                comment: get(row, "comment")?,
            },
        );
    }
    Ok(())
}
