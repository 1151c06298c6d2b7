// A CTE's defining select is nested in the statement: it cannot carry a
// data-modifying CTE (read that one from the top-level statement).
use strata::query::prelude::*;
use strata::query::Cte;
use strata_example_school::Intervention;

strata::cte! {
    pub struct Gone as "gone" {
        STUDENT_ID: i32 = "student_id",
    }
}

strata::cte! {
    pub struct Again as "again" {
        STUDENT_ID: i32 = "student_id",
    }
}

fn main() {
    let gone = Cte::<Gone>::modifying(
        Intervention::delete()
            .filter(Intervention::ID.eq(1))
            .returning(Intervention::STUDENT_ID),
    );
    let _ = Cte::<Again>::new(gone.select());
}
