//! Triggers on tables. The model has no place for triggers on views
//! (INSTEAD OF), so those are reported as unsupported.

use super::rows::get;
use super::{Assembly, Query};
use crate::error::Error;
use strata_schema::{QualifiedName, Trigger, Unsupported};
use tokio_postgres::Row;

pub(super) const QUERY: Query = Query {
    what: "triggers",
    sql: include_str!("triggers.sql"),
};

pub(super) fn apply(rows: &[Row], a: &mut Assembly) -> Result<(), Error> {
    for row in rows {
        let relid: u32 = get(row, "relid")?;
        let name: String = get(row, "name")?;
        if let Some(table) = a.tables.get_mut(&relid) {
            table.triggers.push(Trigger {
                name,
                definition: get(row, "definition")?,
                enabled: get(row, "enabled")?,
                comment: get(row, "comment")?,
            });
        } else if a.views.contains_key(&relid) {
            let on = QualifiedName::new(
                get::<String>(row, "schema")?,
                get::<String>(row, "table_name")?,
            );
            a.unsupported.push(
                Unsupported::new("trigger on view", format!("{name} on {on}"))
                    .in_schema(&on.schema, Some(on.name.clone())),
            );
        }
    }
    Ok(())
}
