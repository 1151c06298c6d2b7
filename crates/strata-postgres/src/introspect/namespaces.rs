//! Schemas (namespaces).

use super::rows::get;
use super::{Assembly, Query};
use crate::error::Error;
use strata_schema::Namespace;
use tokio_postgres::Row;

pub(super) const QUERY: Query = Query {
    what: "schemas",
    sql: include_str!("namespaces.sql"),
};

pub(super) fn apply(rows: &[Row], a: &mut Assembly) -> Result<(), Error> {
    for row in rows {
        let name: String = get(row, "name")?;
        a.namespaces.insert(
            get(row, "oid")?,
            Namespace {
                name,
                comment: get(row, "comment")?,
                grants: Vec::new(),
            },
        );
    }
    Ok(())
}
