use strata::query::prelude::*;
use strata::query::{Connection, QueryError};
use strata_example_school::{School, Student};

// An expression over a left-joined table's column is NULL where it is.
async fn flags(db: &Connection) -> Result<Vec<bool>, QueryError> {
    Student::select()
        .left_join::<School>()
        .on(Student::SCHOOL_ID.eq(School::ID))
        .columns(School::NAME.eq("Lincoln"))
        .all(db)
        .await
}

fn main() {
    let _ = flags;
}
