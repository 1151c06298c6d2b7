//! Diesel's benchmark schema (users, posts, comments), declared once for
//! each contestant: strata's derive, Diesel's `table!` and derives, sqlx's
//! `FromRow`, all on the same structs, so every contestant returns the very
//! same Rust values.

use diesel::prelude::*;
use strata::{DeclaredSchema, SchemaBuilder, Table};

/// Diesel's view of the tables (strata's comes from the derives below).
pub mod schema {
    diesel::table! {
        users (id) {
            id -> Int4,
            name -> Text,
            hair_color -> Nullable<Text>,
        }
    }
    diesel::table! {
        posts (id) {
            id -> Int4,
            user_id -> Int4,
            title -> Text,
            body -> Nullable<Text>,
        }
    }
    diesel::table! {
        comments (id) {
            id -> Int4,
            post_id -> Int4,
            text -> Text,
        }
    }
    diesel::joinable!(posts -> users (user_id));
    diesel::joinable!(comments -> posts (post_id));
    diesel::allow_tables_to_appear_in_same_query!(users, posts, comments);
}

#[derive(Table, Queryable, Selectable, Identifiable, sqlx::FromRow, Debug, Clone, PartialEq)]
#[strata(name = "users")]
#[diesel(table_name = schema::users, check_for_backend(diesel::pg::Pg))]
pub struct User {
    #[strata(primary_key, serial)]
    pub id: i32,
    pub name: String,
    pub hair_color: Option<String>,
}

#[derive(
    Table, Queryable, Selectable, Identifiable, Associations, sqlx::FromRow, Debug, Clone, PartialEq,
)]
#[strata(name = "posts", index(user_id))]
#[diesel(table_name = schema::posts, belongs_to(User), check_for_backend(diesel::pg::Pg))]
pub struct Post {
    #[strata(primary_key, serial)]
    pub id: i32,
    #[strata(references = User::ID)]
    pub user_id: i32,
    pub title: String,
    pub body: Option<String>,
}

#[derive(
    Table, Queryable, Selectable, Identifiable, Associations, sqlx::FromRow, Debug, Clone, PartialEq,
)]
#[strata(name = "comments", index(post_id))]
#[diesel(table_name = schema::comments, belongs_to(Post), check_for_backend(diesel::pg::Pg))]
pub struct Comment {
    #[strata(primary_key, serial)]
    pub id: i32,
    #[strata(references = Post::ID)]
    pub post_id: i32,
    pub text: String,
}

/// A new user for Diesel's insert (strata's derive makes `NewUser`).
/// `None` is bound as NULL, as the other contestants do, not written as
/// DEFAULT.
#[derive(Insertable)]
#[diesel(table_name = schema::users, treat_none_as_default_value = false)]
pub struct DieselNewUser<'a> {
    pub name: &'a str,
    pub hair_color: Option<&'a str>,
}

/// The three levels as every contestant returns them.
pub type Tree = Vec<(User, Vec<(Post, Vec<Comment>)>)>;

/// Strata's declared schema: the fixture creates the tables from it.
pub fn declared() -> Result<DeclaredSchema, strata::Error> {
    SchemaBuilder::new()
        .table::<User>()
        .table::<Post>()
        .table::<Comment>()
        .build()
}
