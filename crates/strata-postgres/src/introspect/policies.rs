//! Row-level security policies.

use super::rows::get;
use super::{Assembly, Query};
use crate::error::Error;
use strata_schema::Policy;
use tokio_postgres::Row;

pub(super) const QUERY: Query = Query {
    what: "row-level security policies",
    sql: include_str!("policies.sql"),
};

pub(super) fn apply(rows: &[Row], a: &mut Assembly) -> Result<(), Error> {
    for row in rows {
        let relid: u32 = get(row, "relid")?;
        let Some(table) = a.tables.get_mut(&relid) else {
            continue;
        };
        let code: String = get(row, "command")?;
        let command = match code.as_str() {
            "*" => "ALL",
            "r" => "SELECT",
            "a" => "INSERT",
            "w" => "UPDATE",
            "d" => "DELETE",
            other => {
                return Err(Error::Catalog(format!("unknown policy command `{other}`")));
            }
        };
        table.policies.push(Policy {
            name: get(row, "name")?,
            command: command.to_string(),
            permissive: get(row, "permissive")?,
            roles: get(row, "roles")?,
            using: get(row, "using_expr")?,
            with_check: get(row, "with_check")?,
            comment: get(row, "comment")?,
        });
    }
    Ok(())
}
