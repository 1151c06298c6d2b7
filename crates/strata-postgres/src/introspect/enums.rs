//! Enum types.

use super::rows::{get, qualified};
use super::{Assembly, Query};
use crate::error::Error;
use strata_schema::EnumType;
use tokio_postgres::Row;

pub(super) const QUERY: Query = Query {
    what: "enum types",
    sql: include_str!("enums.sql"),
};

pub(super) fn apply(rows: &[Row], a: &mut Assembly) -> Result<(), Error> {
    for row in rows {
        let name = qualified(row)?;
        a.enums.push(EnumType {
            name,
            labels: get(row, "labels")?,
            comment: get(row, "comment")?,
        });
    }
    Ok(())
}
