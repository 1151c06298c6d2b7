use strata::query::prelude::*;
use strata::query::{Connection, Cte, QueryError};
use strata_example_school::Student;

strata::cte! {
    pub struct Busy as "busy" {
        STUDENT_ID: i32 = "student_id",
    }
}

// A student the CTE does not list has no CTE row: its column is an Option.
async fn ids(db: &Connection, busy: Cte<Busy>) -> Result<Vec<(String, i32)>, QueryError> {
    Student::select()
        .left_join_cte(busy)
        .on(Busy::STUDENT_ID.eq(Student::ID))
        .columns((Student::SIS_ID, Busy::STUDENT_ID))
        .all(db)
        .await
}

fn main() {
    let _ = ids;
}
