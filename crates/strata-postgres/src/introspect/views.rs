//! Views and materialized views.

use super::rows::{get, qualified};
use super::{Assembly, Query};
use crate::error::Error;
use strata_schema::View;
use tokio_postgres::Row;

pub(super) const QUERY: Query = Query {
    what: "views",
    sql: include_str!("views.sql"),
};

pub(super) fn apply(rows: &[Row], a: &mut Assembly) -> Result<(), Error> {
    for row in rows {
        let name = qualified(row)?;
        let materialized: bool = get(row, "materialized")?;
        let populated: bool = get(row, "populated")?;
        let definition: String = get(row, "definition")?;
        a.views.insert(
            get(row, "oid")?,
            View {
                name,
                definition: trim_definition(&definition),
                materialized,
                with_no_data: materialized && !populated,
                with: get(row, "options")?,
                indexes: Vec::new(),
                column_comments: Vec::new(),
                comment: get(row, "comment")?,
                grants: Vec::new(),
            },
        );
    }
    Ok(())
}

/// `pg_get_viewdef` text without surrounding blanks and the final `;`.
fn trim_definition(text: &str) -> String {
    let text = text.trim();
    text.strip_suffix(';')
        .unwrap_or(text)
        .trim_end()
        .to_string()
}

#[cfg(test)]
mod tests {
    #[test]
    fn trims_definition() {
        assert_eq!(
            super::trim_definition(" SELECT t.a\n   FROM public.t;"),
            "SELECT t.a\n   FROM public.t"
        );
    }
}
