//! The school schema, applied to a real server, introspects back to exactly
//! what was declared.

#[path = "../../round_trip.rs"]
mod round_trip;

use strata_schema::QualifiedName;

#[tokio::test]
async fn school_schema_round_trips() {
    let declared = strata_example_school::declared().unwrap();
    let back = round_trip::apply_and_compare(&declared).await;
    // A few facts the round trip relies on, stated plainly.
    let users = back.table(&QualifiedName::new("public", "users")).unwrap();
    let id = users.column("id").unwrap();
    assert_eq!(id.data_type, "integer");
    assert_eq!(
        id.default.as_deref(),
        Some("nextval('public.users_id_seq'::regclass)")
    );
    assert!(back.sequences.iter().any(|s| s.name.name == "users_id_seq"));
}
