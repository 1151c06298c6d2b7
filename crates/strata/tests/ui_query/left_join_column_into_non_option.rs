use strata::query::prelude::*;
use strata::query::{Connection, QueryError};
use strata_example_school::{School, Student};

// A student without a school has no school name: the column is an Option.
async fn names(db: &Connection) -> Result<Vec<(String, String)>, QueryError> {
    Student::select()
        .left_join::<School>()
        .on(Student::SCHOOL_ID.eq(School::ID))
        .columns((Student::SIS_ID, School::NAME))
        .all(db)
        .await
}

fn main() {
    let _ = names;
}
