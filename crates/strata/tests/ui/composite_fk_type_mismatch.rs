use strata::Table;

#[derive(Table)]
#[strata(primary_key(a, b))]
struct Parent {
    a: i32,
    b: String,
}

#[derive(Table)]
#[strata(foreign_key(columns(pa, pb), references(Parent::A, Parent::B)))]
struct Child {
    pa: i32,
    pb: i64,
}

fn main() {}
