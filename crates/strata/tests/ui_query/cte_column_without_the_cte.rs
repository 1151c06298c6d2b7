// A CTE's columns are readable only in a query given the CTE (with
// `.inner_join_cte(cte)` or `cte.select()`), which writes its WITH item.
use strata::query::prelude::*;
use strata_example_school::Student;

strata::cte! {
    pub struct Busy as "busy" {
        STUDENT_ID: i32 = "student_id",
        INTERVENTIONS: i64 = "interventions",
    }
}

fn main() {
    let _ = Student::select().filter(Busy::INTERVENTIONS.gt(1_i64));
}
