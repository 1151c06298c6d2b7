// The select of an INSERT ... SELECT must return the columns' types, in order.
use strata::query::prelude::*;
use strata_example_school::{Role, Student};

fn main() {
    let _ = Role::insert_select(
        (Role::NAME, Role::DESCRIPTION),
        Student::select().columns((Student::ID, Student::FIRST_NAME)),
    );
}
