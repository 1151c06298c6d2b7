use strata::Table;

#[derive(Table)]
struct Counter {
    #[strata(default = "zero")]
    value: i32,
}

fn main() {}
