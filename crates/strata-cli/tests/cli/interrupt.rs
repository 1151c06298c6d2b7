//! Ctrl-C during a shadow run: the shadow database does not outlive it.

use crate::common::{dev_url, Scratch};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// Shadow databases of the process `pid` (their names carry it).
async fn shadows_of(pid: u32) -> Vec<String> {
    let client = strata_testkit::connect_url(&dev_url()).await;
    let pattern = format!("strata_shadow_{pid}_%");
    client
        .query(
            "SELECT datname::text FROM pg_database WHERE datname LIKE $1",
            &[&pattern],
        )
        .await
        .unwrap()
        .iter()
        .map(|r| r.get(0))
        .collect()
}

#[tokio::test]
async fn ctrl_c_drops_the_shadow_database() {
    let dir = Scratch::new();
    // Slow enough to be interrupted while the shadow database exists.
    let slow = dir.write(
        "slow.sql",
        "CREATE TABLE t (id int);\nSELECT pg_sleep(60);\n",
    );
    let child = Command::new(env!("CARGO_BIN_EXE_strata"))
        .args(["inspect", "--from", &slow, "--dev-url", &dev_url()])
        .env("NO_COLOR", "1")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let pid = child.id();
    let deadline = Instant::now() + Duration::from_secs(30);
    while shadows_of(pid).await.is_empty() {
        assert!(Instant::now() < deadline, "no shadow database appeared");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    let status = Command::new("kill")
        .args(["-INT", &pid.to_string()])
        .status()
        .unwrap();
    assert!(status.success());
    let output = child.wait_with_output().unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(1), "{stderr}");
    assert!(stderr.contains("interrupted"), "{stderr}");
    assert!(stderr.contains("strata_shadow_"), "{stderr}");
    assert_eq!(shadows_of(pid).await, Vec::<String>::new());
}
