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

/// The three-level load's result decoded and nested by hand, as one
/// would who sent strata's SQL raw: each row is a user, a post (its
/// `user_id`, cell 4, is set) or a comment (its `post_id`, cell 8, is
/// set), in the columns strata lays out for this load.
pub async fn three_levels_by_hand(p: &Prepared, c: &Client) -> super::model::Tree {
    use super::model::{Comment, Post, User};
    let params: Vec<&(dyn ToSql + Sync)> = p
        .params
        .iter()
        .map(|p| &**p as &(dyn ToSql + Sync))
        .collect();
    let rows = c.query(&p.stmt, &params).await.unwrap();
    let (mut users, mut posts, mut comments) = (Vec::new(), Vec::new(), Vec::new());
    for r in &rows {
        assert_eq!(r.len(), 10, "the layout this decoder reads");
        if r.get::<_, Option<i32>>(4).is_some() {
            posts.push(Post {
                id: r.get(3),
                user_id: r.get(4),
                title: r.get(5),
                body: r.get(6),
            });
        } else if r.get::<_, Option<i32>>(8).is_some() {
            comments.push(Comment {
                id: r.get(7),
                post_id: r.get(8),
                text: r.get(9),
            });
        } else {
            users.push(User {
                id: r.get(0),
                name: r.get(1),
                hair_color: r.get(2),
            });
        }
    }
    super::stitch::stitch(users, posts, comments)
}
