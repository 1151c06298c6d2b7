// What a query builder gets from the typed columns: a function that wants a
// text column of `users` accepts `User::EMAIL` and nothing else.
use strata::{Column, Table};

#[derive(Table)]
#[strata(name = "users")]
struct User {
    #[strata(primary_key)]
    id: i32,
    email: String,
}

#[derive(Table)]
#[strata(name = "posts")]
struct Post {
    #[strata(primary_key)]
    id: i32,
    title: String,
}

fn text_column_of_users(_: Column<User, String>) {}

fn main() {
    text_column_of_users(User::EMAIL);
    // An integer column where a text column is wanted.
    text_column_of_users(User::ID);
    // A column of another table.
    text_column_of_users(Post::TITLE);
}
