use strata::query::prelude::*;
use strata::query::{Connection, QueryError};
use strata_example_school::{School, Student};

// `all::<School>()` of a left-joined school is an `Option<School>`.
async fn rows(db: &Connection) -> Result<Vec<(Student, School)>, QueryError> {
    Student::select()
        .left_join::<School>()
        .on(Student::SCHOOL_ID.eq(School::ID))
        .columns((all::<Student>(), all::<School>()))
        .all(db)
        .await
}

fn main() {
    let _ = rows;
}
