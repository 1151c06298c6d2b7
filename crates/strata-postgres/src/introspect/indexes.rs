//! Indexes that do not back a constraint, on tables and materialized views.

use super::rows::get;
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
        let target = match (a.tables.get_mut(&relid), a.views.get_mut(&relid)) {
            (Some(table), _) => &mut table.indexes,
            (None, Some(view)) => &mut view.indexes,
            (None, None) => continue,
        };
        let name: String = get(row, "name")?;
        let expressions: Vec<String> = get::<Option<_>>(row, "expressions")?.unwrap_or_default();
        let is_column: Vec<bool> = get::<Option<_>>(row, "is_column")?.unwrap_or_default();
        let opclasses: Vec<Option<String>> =
            get::<Option<_>>(row, "opclasses")?.unwrap_or_default();
        let collations: Vec<Option<String>> =
            get::<Option<_>>(row, "collations")?.unwrap_or_default();
        let options: Vec<i16> = get::<Option<_>>(row, "options")?.unwrap_or_default();
        let n = expressions.len();
        if [
            is_column.len(),
            opclasses.len(),
            collations.len(),
            options.len(),
        ] != [n; 4]
        {
            return Err(Error::Catalog(format!(
                "index {name}: key arrays of different lengths"
            )));
        }
        let keys = expressions
            .into_iter()
            .zip(is_column)
            .zip(opclasses.into_iter().zip(collations))
            .zip(options)
            .map(
                |(((expression, is_column), (opclass, collation)), option)| {
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
        target.push(Index {
            name,
            unique: get(row, "is_unique")?,
            method: get(row, "method")?,
            keys,
            include: get(row, "include")?,
            predicate: get(row, "predicate")?,
            nulls_not_distinct: get(row, "nulls_not_distinct")?,
            with: get(row, "options_with")?,
            comment: get(row, "comment")?,
        });
    }
    Ok(())
}
