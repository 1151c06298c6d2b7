use strata::Table;

#[derive(Table)]
struct User {
    #[strata(serial, default = 1)]
    id: i32,
}

fn main() {}
