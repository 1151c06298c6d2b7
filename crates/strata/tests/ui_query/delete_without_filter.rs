use strata::query::prelude::*;
use strata::query::Connection;
use strata_example_school::UserRole;

async fn forget(db: &Connection) {
    let _ = UserRole::delete().execute(db).await;
}

fn main() {}
