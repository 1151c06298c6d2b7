use strata::Table;

#[derive(Table)]
#[strata(table = "users")]
struct User {
    id: i32,
}

fn main() {}
