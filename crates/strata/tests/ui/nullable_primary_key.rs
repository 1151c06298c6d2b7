use strata::Table;

#[derive(Table)]
struct User {
    #[strata(primary_key)]
    id: Option<i32>,
}

fn main() {}
