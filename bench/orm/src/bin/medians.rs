//! The last run's medians as the README's Markdown table (shape x
//! contestant), read from criterion's estimates:
//! `cargo run --manifest-path bench/orm/Cargo.toml --bin medians [CRITERION_DIR]`
//! (default: this workspace's `target/criterion`).

use std::path::{Path, PathBuf};

const SHAPES: &[&str] = &[
    "one_by_key",
    "rows_10k",
    "join",
    "three_levels",
    "insert_100",
];
const CONTESTANTS: &[&str] = &[
    "strata",
    "strata_sql_raw",
    "tokio_postgres",
    "diesel",
    "sqlx",
];
const BUILD: &[&str] = &[
    "strata",
    "diesel_to_sql",
    "diesel_debug_query",
    "strata_three_level_load",
];

/// The median in nanoseconds, if that benchmark ran.
fn median(dir: &Path, group: &str, function: &str) -> Option<f64> {
    let path = dir.join(group).join(function).join("new/estimates.json");
    let text = std::fs::read_to_string(path).ok()?;
    let json: serde_json::Value = serde_json::from_str(&text).ok()?;
    json["median"]["point_estimate"].as_f64()
}

fn human(ns: f64) -> String {
    if ns >= 1e6 {
        format!("{:.2} ms", ns / 1e6)
    } else if ns >= 1e3 {
        format!("{:.1} µs", ns / 1e3)
    } else {
        format!("{ns:.0} ns")
    }
}

fn table(dir: &Path, groups: &[&str], columns: &[&str]) {
    println!("| shape | {} |", columns.join(" | "));
    println!("|---|{}", "---:|".repeat(columns.len()));
    for g in groups {
        let cells: Vec<String> = columns
            .iter()
            .map(|c| median(dir, g, c).map_or_else(|| "–".to_string(), human))
            .collect();
        println!("| {g} | {} |", cells.join(" | "));
    }
}

fn main() {
    let dir = std::env::args().nth(1).map_or_else(
        || PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("target/criterion"),
        PathBuf::from,
    );
    table(&dir, SHAPES, CONTESTANTS);
    println!();
    table(&dir, &["build"], BUILD);
}
