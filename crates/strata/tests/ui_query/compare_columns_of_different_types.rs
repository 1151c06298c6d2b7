use strata::query::prelude::*;
use strata_example_school::User;

fn main() {
    let _ = User::select().filter(User::ID.eq(User::EMAIL));
}
