// The defining select must return the CTE's declared column types.
use strata::query::prelude::*;
use strata::query::Cte;
use strata_example_school::Student;

strata::cte! {
    pub struct Busy as "busy" {
        STUDENT_ID: i32 = "student_id",
        INTERVENTIONS: i64 = "interventions",
    }
}

fn main() {
    let _ = Cte::<Busy>::new(Student::select().columns((Student::ID, Student::FIRST_NAME)));
}
