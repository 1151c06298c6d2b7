//! Columns of tables, attributes of composite types, and comments on view
//! columns (the only part of a view's columns the model keeps).

use super::rows::get;
use super::{Assembly, Query};
use crate::error::Error;
use strata_schema::{Column, CompositeAttribute};
use tokio_postgres::Row;

pub(super) const QUERY: Query = Query {
    what: "columns",
    sql: include_str!("columns.sql"),
};

pub(super) fn apply(rows: &[Row], a: &mut Assembly) -> Result<(), Error> {
    // Columns are kept in attnum order, the order of CREATE TABLE.
    let mut sorted = rows
        .iter()
        .map(|row| Ok((get::<u32>(row, "relid")?, get::<i16>(row, "attnum")?, row)))
        .collect::<Result<Vec<_>, Error>>()?;
    sorted.sort_unstable_by_key(|&(relid, attnum, _)| (relid, attnum));
    for (relid, attnum, row) in sorted {
        let name: String = get(row, "name")?;
        a.attnames.insert((relid, attnum), name.clone());
        if let Some(table) = a.tables.get_mut(&relid) {
            let identity: String = get(row, "identity")?;
            match identity.as_str() {
                "a" => {
                    a.identities.insert((relid, attnum), true);
                }
                "d" => {
                    a.identities.insert((relid, attnum), false);
                }
                _ => {}
            }
            a.columns.insert((relid, attnum), table.columns.len());
            table.columns.push(Column {
                name,
                data_type: get(row, "data_type")?,
                not_null: get(row, "not_null")?,
                default: get(row, "default_expr")?,
                identity: None,
                generated: get(row, "generated")?,
                collation: get(row, "collation")?,
                comment: get(row, "comment")?,
                grants: Vec::new(),
            });
        } else if let Some(view) = a.views.get_mut(&relid) {
            if let Some(comment) = get::<Option<String>>(row, "comment")? {
                view.column_comments.push((name, comment));
            }
        } else if let Some(composite) = a.composites.get_mut(&relid) {
            composite.attributes.push(CompositeAttribute {
                name,
                data_type: get(row, "data_type")?,
                collation: get(row, "collation")?,
            });
        }
    }
    Ok(())
}
