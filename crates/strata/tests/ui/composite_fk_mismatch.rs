use strata::Table;

#[derive(Table)]
#[strata(primary_key(a, b))]
struct Parent {
    a: i32,
    b: i32,
}

#[derive(Table)]
#[strata(foreign_key(columns(pa, pb), references(Parent::A)))]
struct Child {
    pa: i32,
    pb: i32,
}

fn main() {}
