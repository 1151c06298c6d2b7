// A data-modifying CTE's RETURNING must give the declared column types.
use strata::query::prelude::*;
use strata::query::Cte;
use strata_example_school::Student;

strata::cte! {
    pub struct Gone as "gone" {
        ID: i32 = "id",
        NAME: String = "name",
    }
}

fn main() {
    let _ = Cte::<Gone>::modifying(
        Student::delete()
            .filter(Student::ID.eq(1))
            .returning((Student::ID, Student::SCHOOL_ID)),
    );
}
