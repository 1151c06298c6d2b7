use strata::Table;

#[derive(Table)]
#[strata(primary_key(user_id, grup_id))]
struct Membership {
    user_id: i32,
    group_id: i32,
}

fn main() {}
