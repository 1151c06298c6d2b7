use strata::Table;

struct Money(i64);

#[derive(Table)]
struct Account {
    id: i32,
    balance: Money,
}

fn main() {}
