use strata::Table;

#[derive(Table)]
struct User {
    #[strata(primay_key)]
    id: i32,
}

fn main() {}
