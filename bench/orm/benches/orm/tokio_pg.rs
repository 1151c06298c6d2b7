//! The shapes by hand on raw tokio-postgres: statements prepared once,
//! rows decoded by position; three levels as one query per level stitched
//! by hand.

use super::fixture::{JOIN_USERS, WITH_POSTS};
use super::model::{Comment, Post, Tree, User};
use super::stitch::stitch;
use tokio_postgres::types::ToSql;
use tokio_postgres::{Client, Row, Statement};

/// The prepared statements.
pub struct Raw {
    one_by_key: Statement,
    rows_10k: Statement,
    join: Statement,
    users: Statement,
    posts: Statement,
    comments: Statement,
    insert_100: Statement,
}

const USERS_SQL: &str = "SELECT id, name, hair_color FROM users";

impl Raw {
    pub async fn prepare(c: &Client) -> Raw {
        let mut insert = String::from("INSERT INTO users (name, hair_color) VALUES ");
        for i in 0..100 {
            if i > 0 {
                insert.push_str(", ");
            }
            insert.push_str(&format!("(${}, ${})", 2 * i + 1, 2 * i + 2));
        }
        Raw {
            one_by_key: c
                .prepare(&format!("{USERS_SQL} WHERE id = $1"))
                .await
                .unwrap(),
            rows_10k: c.prepare(USERS_SQL).await.unwrap(),
            join: c
                .prepare(
                    "SELECT u.name, p.title FROM users u LEFT JOIN posts p ON u.id = p.user_id \
                     WHERE u.id BETWEEN $1 AND $2 ORDER BY u.id, p.id",
                )
                .await
                .unwrap(),
            users: c
                .prepare(&format!("{USERS_SQL} WHERE id <= $1"))
                .await
                .unwrap(),
            posts: c
                .prepare("SELECT id, user_id, title, body FROM posts WHERE user_id = ANY($1)")
                .await
                .unwrap(),
            comments: c
                .prepare("SELECT id, post_id, text FROM comments WHERE post_id = ANY($1)")
                .await
                .unwrap(),
            insert_100: c.prepare(&insert).await.unwrap(),
        }
    }
}

fn user(r: &Row) -> User {
    User {
        id: r.get(0),
        name: r.get(1),
        hair_color: r.get(2),
    }
}

fn post(r: &Row) -> Post {
    Post {
        id: r.get(0),
        user_id: r.get(1),
        title: r.get(2),
        body: r.get(3),
    }
}

fn comment(r: &Row) -> Comment {
    Comment {
        id: r.get(0),
        post_id: r.get(1),
        text: r.get(2),
    }
}

pub async fn one_by_key(c: &Client, s: &Raw, id: i32) -> User {
    user(&c.query_one(&s.one_by_key, &[&id]).await.unwrap())
}

pub async fn rows_10k(c: &Client, s: &Raw) -> Vec<User> {
    c.query(&s.rows_10k, &[])
        .await
        .unwrap()
        .iter()
        .map(user)
        .collect()
}

pub async fn join(c: &Client, s: &Raw) -> Vec<(String, Option<String>)> {
    c.query(&s.join, &[&JOIN_USERS.0, &JOIN_USERS.1])
        .await
        .unwrap()
        .iter()
        .map(|r| (r.get(0), r.get(1)))
        .collect()
}

pub async fn three_levels(c: &Client, s: &Raw) -> Tree {
    three_levels_from(c, s, &s.users, &[&WITH_POSTS]).await
}

/// Every user, no filter (Diesel's own association benchmark).
pub async fn three_levels_all(c: &Client, s: &Raw) -> Tree {
    three_levels_from(c, s, &s.rows_10k, &[]).await
}

/// The users `users` selects, then their posts and comments.
async fn three_levels_from(
    c: &Client,
    s: &Raw,
    users: &Statement,
    params: &[&(dyn ToSql + Sync)],
) -> Tree {
    let users: Vec<User> = c
        .query(users, params)
        .await
        .unwrap()
        .iter()
        .map(user)
        .collect();
    associations(c, s, users).await
}

/// The users' posts and their comments, one query per level.
async fn associations(c: &Client, s: &Raw, users: Vec<User>) -> Tree {
    let ids: Vec<i32> = users.iter().map(|u| u.id).collect();
    let posts: Vec<Post> = c
        .query(&s.posts, &[&ids])
        .await
        .unwrap()
        .iter()
        .map(post)
        .collect();
    let ids: Vec<i32> = posts.iter().map(|p| p.id).collect();
    let comments: Vec<Comment> = c
        .query(&s.comments, &[&ids])
        .await
        .unwrap()
        .iter()
        .map(comment)
        .collect();
    stitch(users, posts, comments)
}

pub async fn insert_100(c: &Client, s: &Raw, rows: &[(String, Option<String>)]) -> u64 {
    let mut params: Vec<&(dyn ToSql + Sync)> = Vec::with_capacity(2 * rows.len());
    for (name, hair) in rows {
        params.push(name);
        params.push(hair);
    }
    c.execute(&s.insert_100, &params).await.unwrap()
}
