//! Running one shape's contestants: as a criterion group (the default), or,
//! with `ORM_BENCH_PAIRED` set, interleaved: every round runs each
//! contestant once (the starting one rotating), so a burst of load from
//! other processes on a shared machine hits them all alike; medians and
//! ratios printed.

use criterion::Criterion;
use std::time::{Duration, Instant};

/// A contestant: its name and one run of the shape (result black-boxed).
pub type Job<'a> = (&'static str, Box<dyn FnMut() + 'a>);

/// True when `ORM_BENCH_PAIRED` asks for interleaved rounds.
pub fn paired_mode() -> bool {
    std::env::var_os("ORM_BENCH_PAIRED").is_some()
}

pub fn contest(c: &mut Criterion, group: &str, rounds: usize, mut jobs: Vec<Job<'_>>) {
    if std::env::var("ORM_BENCH_ONLY").is_ok_and(|only| only != group) {
        return;
    }
    if paired_mode() {
        paired(group, rounds, &mut jobs);
        return;
    }
    let mut g = c.benchmark_group(group);
    for (name, job) in &mut jobs {
        g.bench_function(*name, |b| b.iter(&mut *job));
    }
    g.finish();
}

fn paired(group: &str, rounds: usize, jobs: &mut Vec<Job<'_>>) {
    // One contestant alone (`ORM_BENCH_JOB=strata`), e.g. to profile it.
    if let Ok(only) = std::env::var("ORM_BENCH_JOB") {
        jobs.retain(|(name, _)| *name == only);
    }
    // More rounds than the group's own (`ORM_BENCH_REPEAT=10`).
    let repeat: usize = std::env::var("ORM_BENCH_REPEAT")
        .ok()
        .and_then(|r| r.parse().ok())
        .unwrap_or(1);
    let rounds = rounds * repeat.max(1);
    let n = jobs.len();
    for (_, job) in jobs.iter_mut() {
        for _ in 0..3 {
            job();
        }
    }
    let mut times: Vec<Vec<Duration>> = vec![Vec::with_capacity(rounds); n];
    for r in 0..rounds {
        for k in 0..n {
            let i = (r + k) % n;
            let start = Instant::now();
            (jobs[i].1)();
            times[i].push(start.elapsed());
        }
    }
    let medians: Vec<f64> = times
        .iter_mut()
        .map(|t| {
            t.sort();
            t[t.len() / 2].as_secs_f64() * 1e6
        })
        .collect();
    let of = |name: &str| jobs.iter().position(|j| j.0 == name).map(|i| medians[i]);
    for (i, (name, _)) in jobs.iter().enumerate() {
        let mut line = format!("paired {group}/{name}: median {:.1} µs", medians[i]);
        for base in ["tokio_postgres", "strata_sql_raw", "strata_sql_by_hand"] {
            if let Some(b) = of(base).filter(|_| *name != base) {
                line.push_str(&format!(", {:.2}x {base}", medians[i] / b));
            }
        }
        println!("{line} ({rounds} rounds)");
    }
}
