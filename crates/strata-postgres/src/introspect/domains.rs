//! Domains (their CHECK constraints are read by the constraints query).

use super::rows::{get, qualified};
use super::{Assembly, Query};
use crate::error::Error;
use strata_schema::Domain;
use tokio_postgres::Row;

pub(super) const QUERY: Query = Query {
    what: "domains",
    sql: include_str!("domains.sql"),
};

pub(super) fn apply(rows: &[Row], a: &mut Assembly) -> Result<(), Error> {
    for row in rows {
        let name = qualified(row)?;
        a.domains.insert(
            get(row, "oid")?,
            Domain {
                name,
                data_type: get(row, "data_type")?,
                not_null: get(row, "not_null")?,
                default: get(row, "default_expr")?,
                collation: get(row, "collation")?,
                checks: Vec::new(),
                comment: get(row, "comment")?,
            },
        );
    }
    Ok(())
}
