//! How long introspection of 1,000 tables takes. Not a pass/fail timing
//! test (machines differ): run it by hand and read the figure.
//!
//! `cargo test --release -p strata-postgres --test introspect_scale -- --ignored --nocapture`

use std::time::Instant;
use strata_postgres::introspect::introspect_with_stats;
use strata_schema::Filter;

#[tokio::test]
#[ignore = "measurement, run by hand"]
async fn thousand_tables() {
    let db = strata_testkit::TestDatabase::create().await;
    let client = db.connect().await;
    let mut sql = String::new();
    for i in 0..1000 {
        let fk = if i == 0 {
            String::new()
        } else {
            format!(", parent_id bigint REFERENCES t{} (id)", i - 1)
        };
        sql.push_str(&format!(
            "CREATE TABLE t{i} (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, \
             name varchar(100) NOT NULL, email text, created_at timestamptz NOT NULL DEFAULT now(), \
             amount numeric(10,2) DEFAULT 0, active boolean NOT NULL DEFAULT true, note text, \
             qty integer CHECK (qty >= 0){fk}); CREATE INDEX t{i}_email ON t{i} (lower(email));"
        ));
    }
    client.batch_execute(&sql).await.unwrap();
    let mut best = f64::MAX;
    for _ in 0..3 {
        let start = Instant::now();
        let (schema, stats) = introspect_with_stats(&client, &Filter::default())
            .await
            .unwrap();
        let took = start.elapsed().as_secs_f64();
        best = best.min(took);
        assert_eq!(schema.tables.len(), 1000);
        println!(
            "1000 tables: {:.3} s, {} statements",
            took, stats.statements
        );
    }
    println!("best: {best:.3} s");
}
