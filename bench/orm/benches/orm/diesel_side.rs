//! The shapes through Diesel (sync `PgConnection` over libpq, as Diesel's
//! own benchmark runs them); three levels as Diesel loads associations:
//! one query per level with `belonging_to`, nested with `grouped_by`.

use super::fixture::{JOIN_USERS, WITH_POSTS};
use super::model::schema::{posts, users};
use super::model::{Comment, DieselNewUser, Post, Tree, User};
use diesel::prelude::*;

pub fn one_by_key(c: &mut PgConnection, id: i32) -> User {
    users::table
        .find(id)
        .select(User::as_select())
        .first(c)
        .unwrap()
}

pub fn rows_10k(c: &mut PgConnection) -> Vec<User> {
    users::table.select(User::as_select()).load(c).unwrap()
}

pub fn join(c: &mut PgConnection) -> Vec<(String, Option<String>)> {
    users::table
        .left_join(posts::table)
        .select((users::name, posts::title.nullable()))
        .filter(users::id.between(JOIN_USERS.0, JOIN_USERS.1))
        .order((users::id, posts::id))
        .load(c)
        .unwrap()
}

pub fn three_levels(c: &mut PgConnection) -> Tree {
    let users: Vec<User> = users::table
        .filter(users::id.le(WITH_POSTS))
        .select(User::as_select())
        .load(c)
        .unwrap();
    associations(c, users)
}

/// The same tree, the users chosen by a list of their ids.
pub fn three_levels_by_ids(c: &mut PgConnection) -> Tree {
    let ids: Vec<i32> = (1..=WITH_POSTS).collect();
    let users: Vec<User> = users::table
        .filter(users::id.eq_any(ids))
        .select(User::as_select())
        .load(c)
        .unwrap();
    associations(c, users)
}

/// Every user, no filter (Diesel's own association benchmark).
pub fn three_levels_all(c: &mut PgConnection) -> Tree {
    let users: Vec<User> = users::table.select(User::as_select()).load(c).unwrap();
    associations(c, users)
}

/// The users' posts and their comments, one query per level.
fn associations(c: &mut PgConnection, users: Vec<User>) -> Tree {
    let posts: Vec<Post> = Post::belonging_to(&users)
        .select(Post::as_select())
        .load(c)
        .unwrap();
    let comments: Vec<Comment> = Comment::belonging_to(&posts)
        .select(Comment::as_select())
        .load(c)
        .unwrap();
    let comments = comments.grouped_by(&posts);
    let posts = posts.into_iter().zip(comments).grouped_by(&users);
    users.into_iter().zip(posts).collect()
}

pub fn insert_100(c: &mut PgConnection, rows: &[(String, Option<String>)]) -> usize {
    let rows: Vec<DieselNewUser> = rows
        .iter()
        .map(|(name, hair)| DieselNewUser {
            name,
            hair_color: hair.as_deref(),
        })
        .collect();
    diesel::insert_into(users::table)
        .values(&rows)
        .execute(c)
        .unwrap()
}
