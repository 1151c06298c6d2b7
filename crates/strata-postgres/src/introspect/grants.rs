//! Privileges, attached to the schema, relation, column or function they
//! are on.

use super::rows::get;
use super::{Assembly, Query};
use crate::error::Error;
use strata_schema::Grant;
use tokio_postgres::Row;

pub(super) const QUERY: Query = Query {
    what: "privileges",
    sql: include_str!("grants.sql"),
};

pub(super) fn apply(rows: &[Row], a: &mut Assembly) -> Result<(), Error> {
    for row in rows {
        let kind: String = get(row, "kind")?;
        let oid: u32 = get(row, "objoid")?;
        let grant = Grant {
            grantee: get(row, "grantee")?,
            privilege: get(row, "privilege")?,
            with_grant_option: get(row, "grantable")?,
        };
        let target = match kind.as_str() {
            "n" => a.namespaces.get_mut(&oid).map(|n| &mut n.grants),
            "r" => {
                if let Some(t) = a.tables.get_mut(&oid) {
                    Some(&mut t.grants)
                } else if let Some(v) = a.views.get_mut(&oid) {
                    Some(&mut v.grants)
                } else {
                    a.sequence_index
                        .get(&oid)
                        .map(|&i| &mut a.sequences[i].grants)
                }
            }
            "c" => {
                let key = (oid, get::<i16>(row, "attnum")?);
                match (a.columns.get(&key), a.tables.get_mut(&oid)) {
                    (Some(&i), Some(t)) => Some(&mut t.columns[i].grants),
                    _ => None,
                }
            }
            "f" => a.functions.get_mut(&oid).map(|f| &mut f.grants),
            _ => None,
        };
        if let Some(grants) = target {
            grants.push(grant);
        }
    }
    Ok(())
}
