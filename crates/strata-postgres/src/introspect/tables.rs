//! Tables, partitioned tables and partitions. A child of plain (non-partition)
//! inheritance is not modelled: it is reported as unsupported.

use super::rows::{get, qualified};
use super::{Assembly, Query};
use crate::error::Error;
use strata_schema::{PartitionOf, QualifiedName, Table, Unsupported};
use tokio_postgres::Row;

pub(super) const QUERY: Query = Query {
    what: "tables",
    sql: include_str!("tables.sql"),
};

pub(super) fn apply(rows: &[Row], a: &mut Assembly) -> Result<(), Error> {
    for row in rows {
        let name = qualified(row)?;
        let parent_schema: Option<String> = get(row, "parent_schema")?;
        let parent_name: Option<String> = get(row, "parent_name")?;
        let parent = parent_schema
            .zip(parent_name)
            .map(|(s, n)| QualifiedName::new(s, n));
        let is_partition: bool = get(row, "is_partition")?;
        let partition_of = match (is_partition, parent) {
            (true, Some(parent)) => Some(PartitionOf {
                parent,
                bound: get::<Option<String>>(row, "partition_bound")?.unwrap_or_default(),
            }),
            (false, Some(parent)) => {
                a.unsupported.push(
                    Unsupported::new("inherited table", format!("{name} (INHERITS {parent})"))
                        .in_schema(&name.schema, Some(name.name.clone())),
                );
                continue;
            }
            _ => None,
        };
        let mut table = Table::new(name, Vec::new());
        table.unlogged = get(row, "unlogged")?;
        table.rls_enabled = get(row, "rls_enabled")?;
        table.rls_forced = get(row, "rls_forced")?;
        table.partition_by = get(row, "partition_by")?;
        table.partition_of = partition_of;
        table.with = get(row, "options")?;
        table.comment = get(row, "comment")?;
        a.tables.insert(get(row, "oid")?, table);
    }
    Ok(())
}
