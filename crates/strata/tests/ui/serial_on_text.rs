use strata::Table;

#[derive(Table)]
struct User {
    #[strata(serial)]
    id: String,
}

fn main() {}
