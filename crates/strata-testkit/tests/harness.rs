//! The harness itself: two databases are distinct, real and writable.

#[tokio::test]
async fn each_test_database_is_fresh_and_real() {
    let a = strata_testkit::TestDatabase::create().await;
    let b = strata_testkit::TestDatabase::create().await;
    assert_ne!(a.name, b.name);
    let ca = a.connect().await;
    ca.batch_execute("CREATE TABLE t (id int)").await.unwrap();
    let cb = b.connect().await;
    let n: i64 = cb
        .query_one(
            "SELECT count(*) FROM pg_class WHERE relname = 't' AND relkind = 'r'",
            &[],
        )
        .await
        .unwrap()
        .get(0);
    assert_eq!(n, 0, "database b must not see a's table");
    let v: String = ca
        .query_one("SHOW server_version", &[])
        .await
        .unwrap()
        .get(0);
    assert!(!v.is_empty());
}
