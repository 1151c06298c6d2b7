use strata::query::prelude::*;
use strata_example_school::{NewUser, User};

fn main() {
    // `email` is NOT NULL without a default: it must be given.
    let _ = User::insert(NewUser::new("sub-1"));
}
