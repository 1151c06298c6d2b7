use strata::Table;

#[derive(Table)]
#[strata(name = "users")]
struct User {
    #[strata(primary_key)]
    id: i32,
}

#[derive(Table)]
struct Post {
    #[strata(references = User::ID)]
    author: String,
}

fn main() {}
