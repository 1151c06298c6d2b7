use strata::Table;

#[derive(Table)]
#[strata(primary_key(user_id, group_id))]
struct Membership {
    user_id: i32,
    group_id: Option<i32>,
}

fn main() {}
