use strata::Table;

#[derive(Table)]
#[strata(name = "a_table_name_that_is_much_longer_than_postgres_keeps_for_identifiers")]
struct User {
    id: i32,
}

fn main() {}
