//! Functions and procedures.

use super::rows::{get, qualified};
use super::{Assembly, Query};
use crate::error::Error;
use strata_schema::Function;
use tokio_postgres::Row;

pub(super) const QUERY: Query = Query {
    what: "functions",
    sql: include_str!("functions.sql"),
};

pub(super) fn apply(rows: &[Row], a: &mut Assembly) -> Result<(), Error> {
    for row in rows {
        let name = qualified(row)?;
        a.functions.insert(
            get(row, "oid")?,
            Function {
                name,
                arguments: get(row, "arguments")?,
                kind: get(row, "kind")?,
                definition: get(row, "definition")?,
                returns: get(row, "returns")?,
                comment: get(row, "comment")?,
                grants: Vec::new(),
            },
        );
    }
    Ok(())
}
