//! Connection errors show the reason and never the password.

use strata_postgres::connect::{connect, mask_url};

/// The test server's URL for `database`, with a password added (the test
/// cluster trusts loopback, so the password is ignored but must be masked).
fn url_with_password(database: &str) -> String {
    let base = &strata_testkit::server().base_url;
    base.replacen("://postgres@", "://postgres:hunter2secret@", 1) + "/" + database
}

#[tokio::test]
async fn unknown_database_is_reported_with_password_masked() {
    let url = url_with_password("no_such_database_here");
    assert!(
        url.contains("hunter2secret"),
        "test set-up: {}",
        mask_url(&url)
    );
    let err = connect(&url).await.unwrap_err();
    let text = err.to_string();
    assert!(!text.contains("hunter2secret"), "{text}");
    assert!(text.contains("postgres:****@"), "{text}");
    assert!(text.contains("no_such_database_here"), "{text}");
    assert_eq!(err.code(), Some("3D000"));
    assert!(!format!("{err:?}").contains("hunter2secret"));
}

#[tokio::test]
async fn unreachable_server_is_reported_with_password_masked() {
    // Port 1 on loopback: nothing listens there.
    let url = "postgres://app:hunter2secret@127.0.0.1:1/shop";
    let err = connect(url).await.unwrap_err();
    let text = err.to_string();
    assert!(!text.contains("hunter2secret"), "{text}");
    assert!(
        text.starts_with("could not connect to postgres://app:****@127.0.0.1:1/shop: "),
        "{text}"
    );
    assert!(text.contains("refused"), "{text}");
    assert_eq!(err.code(), None);
}

#[tokio::test]
async fn invalid_url_is_reported_with_password_masked() {
    let err = connect("postgres://app:hunter2secret@127.0.0.1:notaport/shop")
        .await
        .unwrap_err();
    let text = err.to_string();
    assert!(!text.contains("hunter2secret"), "{text}");
    assert!(text.starts_with("invalid connection URL"), "{text}");
}

#[tokio::test]
async fn connects_and_queries() {
    let db = strata_testkit::TestDatabase::create().await;
    let client = connect(db.url()).await.unwrap();
    let row = client.query_one("SELECT 1 + 1", &[]).await.unwrap();
    assert_eq!(row.get::<_, i32>(0), 2);
}

#[tokio::test]
async fn server_errors_keep_their_fields() {
    let db = strata_testkit::TestDatabase::create().await;
    let client = connect(db.url()).await.unwrap();
    let e = client
        .batch_execute("SELECT nope FROM nowhere")
        .await
        .unwrap_err();
    let err = strata_postgres::Error::query("running a test", &e);
    let server = err.server().unwrap();
    assert_eq!(server.code.as_deref(), Some("42P01"));
    assert_eq!(server.message, "relation \"nowhere\" does not exist");
    assert_eq!(server.position, Some(18));
    assert!(err.to_string().starts_with("running a test: relation"));
}
