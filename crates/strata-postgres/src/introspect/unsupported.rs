//! Objects seen in the catalog but not modelled, listed by kind and name.

use super::rows::get;
use super::{Assembly, Query};
use crate::error::Error;
use strata_schema::Unsupported;
use tokio_postgres::Row;

pub(super) const QUERY: Query = Query {
    what: "unsupported objects",
    sql: include_str!("unsupported.sql"),
};

pub(super) fn apply(rows: &[Row], a: &mut Assembly) -> Result<(), Error> {
    for row in rows {
        let schema: Option<String> = get(row, "schema")?;
        let table: Option<String> = get(row, "table_name")?;
        let mut object = Unsupported::new(get::<String>(row, "kind")?, get::<String>(row, "name")?);
        if let Some(schema) = schema {
            object = object.in_schema(schema, table);
        }
        a.unsupported.push(object);
    }
    Ok(())
}
