use strata::Table;

#[derive(Table)]
#[strata(name = "users")]
struct User {
    #[strata(primary_key)]
    id: i32,
}

#[derive(Table)]
struct Post {
    #[strata(references = User::USER_ID)]
    author: i32,
}

fn main() {}
