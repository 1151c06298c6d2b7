use strata::query::prelude::*;
use strata_example_school::{Role, User};

fn main() {
    let _ = User::select().filter(Role::NAME.eq("admin"));
}
