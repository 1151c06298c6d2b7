// An UPDATE that reads a data-modifying CTE cannot be the body of another.
use strata::query::prelude::*;
use strata::query::Cte;
use strata_example_school::{Role, Student};

strata::cte! {
    pub struct Gone as "gone" {
        ID: i32 = "id",
    }
}

strata::cte! {
    pub struct Renamed as "renamed" {
        ID: i32 = "id",
    }
}

fn main() {
    let gone = Cte::<Gone>::modifying(
        Student::delete()
            .filter(Student::ID.eq(1))
            .returning(Student::ID),
    );
    let _ = Cte::<Renamed>::modifying(
        Role::update()
            .set(Role::NAME, "renamed")
            .from_cte(gone)
            .filter(Role::ID.eq(Gone::ID))
            .returning(Role::ID),
    );
}
