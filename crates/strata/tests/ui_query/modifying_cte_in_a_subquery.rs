// PostgreSQL runs a data-modifying WITH only at the top level: a select
// that carries one cannot be a subquery.
use strata::query::prelude::*;
use strata::query::Cte;
use strata_example_school::{Intervention, Student};

strata::cte! {
    pub struct Gone as "gone" {
        STUDENT_ID: i32 = "student_id",
    }
}

fn main() {
    let gone = Cte::<Gone>::modifying(
        Intervention::delete()
            .filter(Intervention::ID.eq(1))
            .returning(Intervention::STUDENT_ID),
    );
    let _ = Student::select().filter(Student::ID.in_select(gone.select()));
}
