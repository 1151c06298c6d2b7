use strata::query::prelude::*;
use strata::query::Connection;
use strata_example_school::User;

async fn rename_everyone(db: &Connection) {
    let _ = User::update().set(User::FIRST_NAME, "Jane").execute(db).await;
}

fn main() {}
