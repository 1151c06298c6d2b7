//! Sequences: free-standing ones (with OWNED BY) become [`Sequence`]s,
//! identity sequences become their column's [`Identity`].

use super::rows::{get, qualified};
use super::{Assembly, Query};
use crate::error::Error;
use strata_schema::{Identity, OwnedBy, QualifiedName, Sequence, SequenceOptions};
use tokio_postgres::Row;

pub(super) const QUERY: Query = Query {
    what: "sequences",
    sql: include_str!("sequences.sql"),
};

pub(super) fn apply(rows: &[Row], a: &mut Assembly) -> Result<(), Error> {
    for row in rows {
        let options = SequenceOptions {
            start: get(row, "start")?,
            increment: get(row, "increment")?,
            min_value: get(row, "min_value")?,
            max_value: get(row, "max_value")?,
            cache: get(row, "cache")?,
            cycle: get(row, "cycle")?,
        };
        let dependency: Option<String> = get(row, "dependency")?;
        if dependency.as_deref() == Some("i") {
            let key = (get::<u32>(row, "table_oid")?, get::<i16>(row, "attnum")?);
            if let (Some(always), Some(&position)) =
                (a.identities.remove(&key), a.columns.get(&key))
            {
                if let Some(table) = a.tables.get_mut(&key.0) {
                    table.columns[position].identity = Some(Identity {
                        always,
                        sequence: options,
                    });
                }
            }
            continue;
        }
        let name = qualified(row)?;
        let owned_by = match dependency.as_deref() {
            Some("a") => Some(OwnedBy {
                table: QualifiedName::new(
                    get::<String>(row, "table_schema")?,
                    get::<String>(row, "table_name")?,
                ),
                column: get(row, "column_name")?,
            }),
            _ => None,
        };
        a.sequence_index.insert(get(row, "oid")?, a.sequences.len());
        a.sequences.push(Sequence {
            name,
            data_type: get(row, "data_type")?,
            options,
            owned_by,
            comment: get(row, "comment")?,
            grants: Vec::new(),
        });
    }
    Ok(())
}
