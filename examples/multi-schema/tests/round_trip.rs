//! The multi-schema layout, applied to a real server, introspects back to
//! exactly what was declared: schemas, cross-schema foreign keys, a serial
//! foreign key, an extension type and every optional Rust column type.

#[path = "../../round_trip.rs"]
mod round_trip;

use strata_schema::QualifiedName;

#[tokio::test]
async fn multi_schema_layout_round_trips() {
    let declared = strata_example_multi_schema::declared().unwrap();
    let back = round_trip::apply_and_compare(&declared).await;
    let names: Vec<&str> = back.namespaces.iter().map(|n| n.name.as_str()).collect();
    assert_eq!(names, ["public", "questions", "users"]);
    let responses = back
        .table(&QualifiedName::new("users", "responses"))
        .unwrap();
    let to_questions = responses
        .foreign_keys
        .iter()
        .find(|f| f.columns == ["question_id"])
        .unwrap();
    assert_eq!(
        to_questions.references,
        QualifiedName::new("questions", "questions")
    );
    let accounts = back
        .table(&QualifiedName::new("users", "accounts"))
        .unwrap();
    assert_eq!(accounts.column("email").unwrap().data_type, "public.citext");
    assert_eq!(
        accounts.column("last_seen_at").unwrap().data_type,
        "timestamp with time zone"
    );
}
