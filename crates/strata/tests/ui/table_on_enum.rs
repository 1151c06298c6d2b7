use strata::Table;

#[derive(Table)]
enum Status {
    Active,
}

fn main() {}
