//! The shapes through sqlx (`query_as` with `FromRow`, no compile-time
//! checked macros); three levels as one query per level stitched by hand;
//! the insert with sqlx's `QueryBuilder::push_values`.

use super::fixture::{JOIN_USERS, WITH_POSTS};
use super::model::{Comment, Post, Tree, User};
use super::stitch::stitch;
use sqlx::{PgConnection, Postgres, QueryBuilder};

pub async fn one_by_key(c: &mut PgConnection, id: i32) -> User {
    sqlx::query_as("SELECT id, name, hair_color FROM users WHERE id = $1")
        .bind(id)
        .fetch_one(c)
        .await
        .unwrap()
}

pub async fn rows_10k(c: &mut PgConnection) -> Vec<User> {
    sqlx::query_as("SELECT id, name, hair_color FROM users")
        .fetch_all(c)
        .await
        .unwrap()
}

pub async fn join(c: &mut PgConnection) -> Vec<(String, Option<String>)> {
    sqlx::query_as(
        "SELECT u.name, p.title FROM users u LEFT JOIN posts p ON u.id = p.user_id \
         WHERE u.id BETWEEN $1 AND $2 ORDER BY u.id, p.id",
    )
    .bind(JOIN_USERS.0)
    .bind(JOIN_USERS.1)
    .fetch_all(c)
    .await
    .unwrap()
}

pub async fn three_levels(c: &mut PgConnection) -> Tree {
    let users: Vec<User> = sqlx::query_as("SELECT id, name, hair_color FROM users WHERE id <= $1")
        .bind(WITH_POSTS)
        .fetch_all(&mut *c)
        .await
        .unwrap();
    associations(c, users).await
}

/// Every user, no filter (Diesel's own association benchmark).
pub async fn three_levels_all(c: &mut PgConnection) -> Tree {
    let users: Vec<User> = sqlx::query_as("SELECT id, name, hair_color FROM users")
        .fetch_all(&mut *c)
        .await
        .unwrap();
    associations(c, users).await
}

/// The users' posts and their comments, one query per level.
async fn associations(c: &mut PgConnection, users: Vec<User>) -> Tree {
    let ids: Vec<i32> = users.iter().map(|u| u.id).collect();
    let posts: Vec<Post> =
        sqlx::query_as("SELECT id, user_id, title, body FROM posts WHERE user_id = ANY($1)")
            .bind(ids)
            .fetch_all(&mut *c)
            .await
            .unwrap();
    let ids: Vec<i32> = posts.iter().map(|p| p.id).collect();
    let comments: Vec<Comment> =
        sqlx::query_as("SELECT id, post_id, text FROM comments WHERE post_id = ANY($1)")
            .bind(ids)
            .fetch_all(&mut *c)
            .await
            .unwrap();
    stitch(users, posts, comments)
}

pub async fn insert_100(c: &mut PgConnection, rows: &[(String, Option<String>)]) -> u64 {
    let mut q: QueryBuilder<Postgres> = QueryBuilder::new("INSERT INTO users (name, hair_color) ");
    q.push_values(rows, |mut b, (name, hair)| {
        b.push_bind(name).push_bind(hair);
    });
    q.build().execute(c).await.unwrap().rows_affected()
}
