//! `cargo test -p strata-conformance --test conformance`: runs the corpus and
//! gates on the ratchet.
//!
//! Environment:
//! - `STRATA_CONFORMANCE_DIR`: corpus folder (default `../shared/conformance`
//!   next to the workspace; the `sqldef` folder inside it is used when present);
//! - `STRATA_CONFORMANCE_FILTER`: run only cases whose name contains this;
//! - `STRATA_CONFORMANCE_JOBS`: cases run at once (default 4);
//! - `STRATA_CONFORMANCE_BLESS=1`: after a full run, rewrite
//!   `expected-failures.toml` and `ratchet.toml` from the results (review the diff!).
//!
//! Prints `PASS|FAIL|SKIP Name[: reason]` per case (sorted by name), then the
//! verdict lines, then `N passed, M failed, K skipped` as the last line.

use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::Arc;
use std::time::Duration;
use strata_conformance::{
    load_corpus, roles, run_case, CaseResult, ConformanceError, Expectations, Outcome, ServerInfo,
    Verdict,
};

const CASE_TIMEOUT: Duration = Duration::from_secs(120);

fn main() -> ExitCode {
    prefer_memory_backed_cluster();
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .worker_threads(4)
        .enable_all()
        .build()
    {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("error: could not start a runtime: {e}");
            return ExitCode::FAILURE;
        }
    };
    match runtime.block_on(run()) {
        Ok(true) => ExitCode::SUCCESS,
        Ok(false) => ExitCode::FAILURE,
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::FAILURE
        }
    }
}

/// The private test cluster lives under the temp folder. Every case creates
/// and drops two databases (each a copy of template0, ~8 MB): on tmpfs that is
/// 3-4x faster than on disk, which is what keeps the whole corpus within a few
/// minutes. Only when the user chose neither a server nor a temp folder.
fn prefer_memory_backed_cluster() {
    let shm = Path::new("/dev/shm");
    if std::env::var_os("STRATA_TEST_DATABASE_URL").is_none()
        && std::env::var_os("TMPDIR").is_none()
        && shm.is_dir()
        && tempfile_probe(shm)
    {
        // Still single-threaded here: no other thread reads the environment.
        std::env::set_var("TMPDIR", shm);
    }
}

fn tempfile_probe(dir: &Path) -> bool {
    let probe = dir.join(format!("strata-conformance-probe-{}", std::process::id()));
    let ok = std::fs::write(&probe, b"").is_ok();
    let _ = std::fs::remove_file(&probe);
    ok
}

fn corpus_dir() -> PathBuf {
    let root = std::env::var_os("STRATA_CONFORMANCE_DIR").map_or_else(
        || Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/conformance"),
        PathBuf::from,
    );
    let sqldef = root.join("sqldef");
    if sqldef.is_dir() {
        sqldef
    } else {
        root
    }
}

async fn run() -> Result<bool, ConformanceError> {
    let dir = corpus_dir();
    let mut cases = load_corpus(&dir)?;
    let filter = std::env::var("STRATA_CONFORMANCE_FILTER")
        .ok()
        .filter(|f| !f.is_empty());
    if let Some(f) = &filter {
        cases.retain(|c| c.name.contains(f.as_str()));
        eprintln!("filter `{f}`: {} cases", cases.len());
        if cases.is_empty() {
            return Err(ConformanceError::FilterMatchesNothing { filter: f.clone() });
        }
    }
    let jobs: usize = std::env::var("STRATA_CONFORMANCE_JOBS")
        .ok()
        .and_then(|j| j.parse().ok())
        .filter(|&j| j > 0)
        .unwrap_or(4);

    let manifest = Path::new(env!("CARGO_MANIFEST_DIR"));
    let failures_path = manifest.join("expected-failures.toml");
    let ratchet_path = manifest.join("ratchet.toml");
    let expected = Expectations::load(&failures_path, &ratchet_path)?;

    let server = strata_testkit::server();
    let admin = strata_testkit::connect_url(&format!("{}/postgres", server.base_url)).await;
    let mut all_roles: Vec<String> = Vec::new();
    for case in &cases {
        for role in &case.roles {
            if !all_roles.contains(role) {
                all_roles.push(role.clone());
            }
        }
    }
    roles::ensure_roles(&admin, &all_roles).await?;
    let info = Arc::new(
        ServerInfo::query(&admin, server.bin_dir.clone())
            .await
            .map_err(ConformanceError::Setup)?,
    );
    drop(admin);

    let total = cases.len();
    let semaphore = Arc::new(tokio::sync::Semaphore::new(jobs));
    let mut tasks = tokio::task::JoinSet::new();
    for case in cases {
        let info = Arc::clone(&info);
        let semaphore = Arc::clone(&semaphore);
        tasks.spawn(async move {
            let _permit = semaphore.acquire_owned().await;
            let name = case.name.clone();
            // A panic inside the engine must fail this case, not the run.
            let handle = tokio::spawn(async move { run_case(&case, &info).await });
            let abort = handle.abort_handle();
            let outcome = match tokio::time::timeout(CASE_TIMEOUT, handle).await {
                Ok(Ok(outcome)) => outcome,
                Ok(Err(e)) if e.is_panic() => Outcome::fail(format!("panicked: {}", panic_text(e))),
                Ok(Err(e)) => Outcome::fail(format!("task failed: {e}")),
                Err(_) => {
                    abort.abort();
                    Outcome::fail(format!("timed out after {}s", CASE_TIMEOUT.as_secs()))
                }
            };
            CaseResult { name, outcome }
        });
    }
    let mut results = Vec::with_capacity(total);
    while let Some(joined) = tasks.join_next().await {
        if let Ok(result) = joined {
            results.push(result);
            if results.len() % 50 == 0 {
                eprintln!("… {}/{total}", results.len());
            }
        }
    }
    results.sort_by(|a, b| a.name.cmp(&b.name));
    for r in &results {
        println!("{r}");
    }

    let full_run = filter.is_none();
    if std::env::var("STRATA_CONFORMANCE_BLESS").is_ok_and(|v| v == "1") {
        if full_run {
            Expectations::from_results(&results).write(&failures_path, &ratchet_path)?;
            eprintln!(
                "blessed: wrote {} and {}",
                failures_path.display(),
                ratchet_path.display()
            );
        } else {
            eprintln!(
                "not blessing: STRATA_CONFORMANCE_FILTER is set (a subset cannot set the ratchet)"
            );
        }
        let refreshed = Expectations::load(&failures_path, &ratchet_path)?;
        return Ok(finish(&results, &refreshed, full_run));
    }
    Ok(finish(&results, &expected, full_run))
}

/// Prints the verdict and the summary line; true when the run passes.
fn finish(results: &[CaseResult], expected: &Expectations, full_run: bool) -> bool {
    let verdict = Verdict::judge(results, expected, full_run);
    for line in verdict.explanations() {
        println!("{line}");
    }
    println!("{}", verdict.summary());
    !verdict.is_failure()
}

fn panic_text(e: tokio::task::JoinError) -> String {
    let payload = e.into_panic();
    payload
        .downcast_ref::<String>()
        .cloned()
        .or_else(|| payload.downcast_ref::<&str>().map(|s| s.to_string()))
        .unwrap_or_else(|| "non-text panic".into())
}
