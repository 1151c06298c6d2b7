// A data-modifying CTE's body cannot carry a data-modifying WITH itself.
use strata::query::prelude::*;
use strata::query::Cte;
use strata_example_school::{Role, Student};

strata::cte! {
    pub struct Gone as "gone" {
        ID: i32 = "id",
        NAME: String = "name",
    }
}

strata::cte! {
    pub struct Made as "made" {
        ID: i32 = "id",
    }
}

fn main() {
    let gone = Cte::<Gone>::modifying(
        Student::delete()
            .filter(Student::ID.eq(1))
            .returning((Student::ID, Student::SIS_ID)),
    );
    let _ = Cte::<Made>::modifying(
        Role::insert_select((Role::ID, Role::NAME), gone.select()).returning(Role::ID),
    );
}
