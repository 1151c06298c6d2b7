//! Typed access to catalog rows: a type mismatch is an error, not a panic.

use crate::error::Error;
use strata_schema::QualifiedName;
use tokio_postgres::types::FromSql;
use tokio_postgres::Row;

/// The value of `column`, or an error naming it.
pub(super) fn get<'a, T: FromSql<'a>>(row: &'a Row, column: &str) -> Result<T, Error> {
    row.try_get(column)
        .map_err(|e| Error::Catalog(format!("column `{column}`: {e}")))
}

/// `schema` and `name` columns as a qualified name.
pub(super) fn qualified(row: &Row) -> Result<QualifiedName, Error> {
    Ok(QualifiedName::new(
        get::<String>(row, "schema")?,
        get::<String>(row, "name")?,
    ))
}

/// The INCLUDE columns of an index: the attnums of `indkey` after the first
/// `indnkeyatts` (the key columns).
pub(super) fn included_attnums(indkey: &[i16], key_count: i16) -> &[i16] {
    let start = usize::try_from(key_count).unwrap_or(0);
    indkey.get(start..).unwrap_or(&[])
}
