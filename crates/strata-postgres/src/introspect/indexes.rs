//! Indexes that do not back a constraint, on tables and materialized views.

use super::rows::{get, included_attnums};
use super::{Assembly, Query};
use crate::error::Error;
use strata_schema::{Index, IndexKey};
use tokio_postgres::Row;

pub(super) const QUERY: Query = Query {
    what: "indexes",
    sql: include_str!("indexes.sql"),
};

/// `indoption` bits (see pg_index.h).
const INDOPTION_DESC: i16 = 0x0001;
const INDOPTION_NULLS_FIRST: i16 = 0x0002;

pub(super) fn apply(rows: &[Row], a: &mut Assembly) -> Result<(), Error> {
    for row in rows {
        let relid: u32 = get(row, "relid")?;
        if !a.tables.contains_key(&relid) && !a.views.contains_key(&relid) {
            continue;
        }
        let name: String = get(row, "name")?;
        let index_keys: Vec<i16> = get(row, "index_keys")?;
        let key_count: i16 = get(row, "key_count")?;
        let include = a.column_names(relid, included_attnums(&index_keys, key_count), &name)?;
        let positions: Vec<i32> = get::<Option<_>>(row, "positions")?.unwrap_or_default();
        let expressions: Vec<String> = get::<Option<_>>(row, "expressions")?.unwrap_or_default();
        let is_column: Vec<bool> = get::<Option<_>>(row, "is_column")?.unwrap_or_default();
        let opclasses: Vec<Option<String>> =
            get::<Option<_>>(row, "opclasses")?.unwrap_or_default();
        let collations: Vec<Option<String>> =
            get::<Option<_>>(row, "collations")?.unwrap_or_default();
        let options: Vec<i16> = get::<Option<_>>(row, "options")?.unwrap_or_default();
        let n = expressions.len();
        if [
            positions.len(),
            is_column.len(),
            opclasses.len(),
            collations.len(),
            options.len(),
        ] != [n; 5]
        {
            return Err(Error::Catalog(format!(
                "index {name}: key arrays of different lengths"
            )));
        }
        // The arrays come in step but in no particular order: order the keys
        // by their position in the index.
        let mut keys: Vec<_> = positions
            .into_iter()
            .zip(expressions)
            .zip(is_column)
            .zip(opclasses.into_iter().zip(collations))
            .zip(options)
            .collect();
        keys.sort_unstable_by_key(|((((position, _), _), _), _)| *position);
        let keys = keys
            .into_iter()
            .map(
                |((((_, expression), is_column), (opclass, collation)), option)| {
                    let descending = option & INDOPTION_DESC != 0;
                    let nulls_first = option & INDOPTION_NULLS_FIRST != 0;
                    IndexKey {
                        expression,
                        is_column,
                        collation,
                        opclass,
                        descending,
                        // The default is NULLS LAST for ASC and NULLS FIRST for DESC.
                        nulls_first: (nulls_first != descending).then_some(nulls_first),
                    }
                },
            )
            .collect();
        let index = Index {
            name,
            unique: get(row, "is_unique")?,
            method: get(row, "method")?,
            keys,
            include,
            predicate: get(row, "predicate")?,
            nulls_not_distinct: get(row, "nulls_not_distinct")?,
            with: get(row, "options_with")?,
            comment: get(row, "comment")?,
        };
        match (a.tables.get_mut(&relid), a.views.get_mut(&relid)) {
            (Some(table), _) => table.indexes.push(index),
            (None, Some(view)) => view.indexes.push(index),
            (None, None) => {}
        }
    }
    Ok(())
}
