//! The shapes through strata's query builder (public API only).

use super::fixture::{JOIN_USERS, WITH_POSTS};
use super::model::{Comment, NewUser, Post, User};
use strata::query::prelude::*;
use strata::query::{Connection, Load};

pub async fn one_by_key(db: &Connection, id: i32) -> User {
    User::select()
        .filter(User::ID.eq(id))
        .one(db)
        .await
        .unwrap()
}

pub async fn rows_10k(db: &Connection) -> Vec<User> {
    User::select().all(db).await.unwrap()
}

pub async fn join(db: &Connection) -> Vec<(String, Option<String>)> {
    User::select()
        .left_join::<Post>()
        .on(User::ID.eq(Post::USER_ID))
        .columns((User::NAME, Post::TITLE.nullable()))
        .filter(User::ID.between(JOIN_USERS.0, JOIN_USERS.1))
        .order_by(User::ID)
        .order_by(Post::ID)
        .all(db)
        .await
        .unwrap()
}

/// Users -> posts -> comments as strata builds it: one statement.
/// The three-level tree as strata returns it.
pub type StrataTree = Vec<(User, Many<(Post, Many<Comment>)>)>;

pub type TreeLoad = Load<User, (User, Many<(Post, Many<Comment>)>)>;

/// The tree with plain `Vec`s, as the other contestants return it.
pub fn plain(t: StrataTree) -> super::model::Tree {
    t.into_iter()
        .map(|(u, posts)| (u, posts.0.into_iter().map(|(p, cs)| (p, cs.0)).collect()))
        .collect()
}

pub fn three_levels_load() -> TreeLoad {
    User::load()
        .filter(User::ID.lte(WITH_POSTS))
        .with(has_many(User::ID, Post::USER_ID).with(has_many(Post::ID, Comment::POST_ID)))
}

/// The same tree, the users chosen by a list of their ids: a filter
/// whose estimate does not depend on the values, so the server reuses
/// one plan instead of planning each run.
pub fn three_levels_by_ids_load() -> TreeLoad {
    User::load()
        .filter(User::ID.eq_any((1..=WITH_POSTS).collect::<Vec<i32>>()))
        .with(has_many(User::ID, Post::USER_ID).with(has_many(Post::ID, Comment::POST_ID)))
}

pub async fn three_levels_by_ids(db: &Connection) -> StrataTree {
    three_levels_by_ids_load().all(db).await.unwrap()
}

/// Every user with their posts and comments, no filter (Diesel's own
/// association benchmark: a table of 100 users, all loaded).
pub fn three_levels_all_load() -> TreeLoad {
    User::load().with(has_many(User::ID, Post::USER_ID).with(has_many(Post::ID, Comment::POST_ID)))
}

pub async fn three_levels_all(db: &Connection) -> StrataTree {
    three_levels_all_load().all(db).await.unwrap()
}

pub async fn three_levels(db: &Connection) -> StrataTree {
    three_levels_load().all(db).await.unwrap()
}

pub async fn insert_100(db: &Connection, rows: &[(String, Option<String>)]) -> u64 {
    let rows: Vec<NewUser> = rows
        .iter()
        // Every hair color bound (NULL or not), as the others do: one
        // statement shape, no DEFAULT in the VALUES list.
        .map(|(name, hair)| NewUser {
            hair_color: Some(hair.clone()),
            ..NewUser::new(name.clone())
        })
        .collect();
    User::insert_many(rows).execute(db).await.unwrap()
}
