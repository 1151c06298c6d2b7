use strata::query::prelude::*;
use strata_example_school::{Role, User};

fn main() {
    let _ = User::select().columns((User::ID, Role::NAME));
}
