//! Shared by the examples' tests: the proof that a declaration round-trips.
//! Render the declared schema from an empty database, run it on a real
//! server, introspect, and require that the differ sees nothing to do.

use strata::DeclaredSchema;
use strata_postgres::introspect::introspect;
use strata_schema::{diff, Filter, RenameHints, Schema};

/// Applies `declared` to a fresh database and returns what introspection
/// reads back, after asserting that `diff(introspected, declared)` is empty.
pub async fn apply_and_compare(declared: &DeclaredSchema) -> Schema {
    let db = strata_testkit::TestDatabase::create().await;
    let client = db.connect().await;
    let empty = introspect(&client, &Filter::default()).await.unwrap();
    let plan = strata_postgres::render::plan(&empty, &declared.schema, &declared.renames).unwrap();
    let sql = plan.up.to_sql();
    if let Err(e) = client.batch_execute(&sql).await {
        panic!("applying the declaration failed: {e:?}\n{sql}");
    }
    let back = introspect(&client, &Filter::default()).await.unwrap();
    let changes = diff(&back, &declared.schema, &RenameHints::default()).unwrap();
    assert!(
        changes.is_empty(),
        "the database differs from the declaration:\n{changes:#?}\n--- applied:\n{sql}\n--- introspected:\n{back:#?}"
    );
    // Stronger than an empty diff: the models are equal (column order aside).
    assert!(
        back.same_as(&declared.schema),
        "introspected:\n{back:#?}\ndeclared:\n{:#?}",
        declared.schema
    );
    back
}
