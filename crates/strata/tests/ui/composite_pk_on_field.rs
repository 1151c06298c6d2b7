use strata::Table;

#[derive(Table)]
struct Membership {
    #[strata(primary_key(user_id, group_id))]
    user_id: i32,
    group_id: i32,
}

fn main() {}
