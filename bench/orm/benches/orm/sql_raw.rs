//! The baseline for strata's relational load: the exact SQL and parameters
//! strata builds for it, prepared once and run on raw tokio-postgres, every
//! cell read as its raw bytes (no decoding at all).

use strata::query::Param;
use tokio_postgres::types::{FromSql, ToSql, Type};
use tokio_postgres::{Client, Statement};

/// A cell's bytes as the server sent them, whatever its type.
pub struct RawCell<'a>(pub &'a [u8]);

impl<'a> FromSql<'a> for RawCell<'a> {
    fn from_sql(_: &Type, raw: &'a [u8]) -> Result<Self, Box<dyn std::error::Error + Sync + Send>> {
        Ok(RawCell(raw))
    }
    fn accepts(_: &Type) -> bool {
        true
    }
}

/// A statement strata built, prepared, with its parameters.
pub struct Prepared {
    stmt: Statement,
    params: Vec<Param>,
}

impl Prepared {
    pub async fn new(c: &Client, (sql, params): (String, Vec<Param>)) -> Prepared {
        Prepared {
            stmt: c.prepare(&sql).await.unwrap(),
            params,
        }
    }

    /// Runs it; the rows and the bytes received, so nothing is optimized away.
    pub async fn run(&self, c: &Client) -> (usize, usize) {
        let params: Vec<&(dyn ToSql + Sync)> = self
            .params
            .iter()
            .map(|p| &**p as &(dyn ToSql + Sync))
            .collect();
        let rows = c.query(&self.stmt, &params).await.unwrap();
        let mut bytes = 0;
        for r in &rows {
            for i in 0..r.len() {
                bytes += r.get::<_, Option<RawCell>>(i).map_or(0, |c| c.0.len());
            }
        }
        (rows.len(), bytes)
    }
}
