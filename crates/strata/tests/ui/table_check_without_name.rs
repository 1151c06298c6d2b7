use strata::Table;

#[derive(Table)]
#[strata(check(expression = "low <= high"))]
struct Range {
    low: i32,
    high: i32,
}

fn main() {}
