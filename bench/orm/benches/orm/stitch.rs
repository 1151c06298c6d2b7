//! Nesting the rows of a query-per-level load by hand (tokio-postgres and
//! sqlx): children grouped under their parent key, parents in their order.

use super::model::{Comment, Post, Tree, User};
use std::collections::HashMap;

pub fn stitch(users: Vec<User>, posts: Vec<Post>, comments: Vec<Comment>) -> Tree {
    let mut comments_of: HashMap<i32, Vec<Comment>> = HashMap::new();
    for c in comments {
        comments_of.entry(c.post_id).or_default().push(c);
    }
    let mut posts_of: HashMap<i32, Vec<(Post, Vec<Comment>)>> = HashMap::new();
    for p in posts {
        let cs = comments_of.remove(&p.id).unwrap_or_default();
        posts_of.entry(p.user_id).or_default().push((p, cs));
    }
    users
        .into_iter()
        .map(|u| {
            let ps = posts_of.remove(&u.id).unwrap_or_default();
            (u, ps)
        })
        .collect()
}
