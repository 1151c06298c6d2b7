use strata::query::prelude::*;
use strata::query::{Connection, QueryError};
use strata_example_school::{School, Student};

// A right join keeps schools without students: the student side is an Option.
async fn pairs(db: &Connection) -> Result<Vec<(String, String)>, QueryError> {
    Student::select()
        .right_join::<School>()
        .on(Student::SCHOOL_ID.eq(School::ID))
        .columns((Student::SIS_ID, School::NAME))
        .all(db)
        .await
}

fn main() {
    let _ = pairs;
}
