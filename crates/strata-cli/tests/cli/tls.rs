//! sslmode on the command line. The handshakes themselves (require against a
//! self-signed server, verify-ca, verify-full) are tested against a TLS
//! server in strata-postgres/tests/tls.rs; here: what a user sees.

use crate::common::{assert_code, strata};
use strata_testkit::TestDatabase;

fn with(url: &str, params: &str) -> String {
    let sep = if url.contains('?') { '&' } else { '?' };
    format!("{url}{sep}{params}")
}

#[tokio::test]
async fn sslmode_disable_and_prefer_work_against_a_server_without_tls() {
    let db = TestDatabase::create().await;
    db.connect()
        .await
        .batch_execute("CREATE TABLE t (id int)")
        .await
        .unwrap();
    for mode in ["disable", "prefer", "allow"] {
        let run = strata(&[
            "inspect",
            "--from",
            &with(db.url(), &format!("sslmode={mode}")),
            "--format",
            "sql",
        ]);
        assert_code(&run, 0);
        assert!(
            run.stdout.contains("CREATE TABLE \"public\".\"t\""),
            "{mode}: {}",
            run.stdout
        );
    }
}

#[tokio::test]
async fn sslmode_require_fails_clearly_without_tls_on_the_server() {
    let db = TestDatabase::create().await;
    let run = strata(&["inspect", "--from", &with(db.url(), "sslmode=require")]);
    assert_code(&run, 1);
    assert!(run.stderr.contains("could not connect"), "{}", run.stderr);
    assert!(run.stderr.contains("TLS"), "{}", run.stderr);
}

#[test]
fn verify_modes_name_a_missing_root_certificate() {
    let url = "postgres://app:Hunter2secret@127.0.0.1:1/app?sslmode=verify-full&sslrootcert=/nonexistent/root.crt";
    let run = strata(&["inspect", "--from", url]);
    assert_code(&run, 1);
    assert!(
        run.stderr.contains("/nonexistent/root.crt"),
        "{}",
        run.stderr
    );
    assert!(!run.stderr.contains("Hunter2secret"), "{}", run.stderr);
    let run = strata(&["inspect", "--from", "postgres://h/d?sslmode=verify"]);
    assert_code(&run, 1);
    assert!(
        run.stderr.contains("verify-ca or verify-full"),
        "{}",
        run.stderr
    );
}
