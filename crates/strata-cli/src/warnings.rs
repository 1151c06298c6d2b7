//! Warnings printed on stderr: what a command leaves alone, and what a
//! migration would destroy. One line each, so that CI logs stay readable.

use std::collections::BTreeMap;
use strata_schema::{PlannedChange, Schema};

/// One line per object that a source holds but Strata does not model, naming
/// the side(s) it was seen on: such objects are never diffed, never dropped.
pub fn unsupported(sides: &[(&str, &Schema)]) -> Vec<String> {
    let mut seen: BTreeMap<(&str, &str), Vec<&str>> = BTreeMap::new();
    for (side, schema) in sides {
        for u in &schema.unsupported {
            seen.entry((u.kind.as_str(), u.name.as_str()))
                .or_default()
                .push(side);
        }
    }
    seen.into_iter()
        .map(|((kind, name), sides)| {
            format!(
                "warning: {kind} {name} (in {}) is not modelled, left untouched",
                sides.join(" and ")
            )
        })
        .collect()
}

/// One line per destructive change (data loss).
pub fn destructive(changes: &[PlannedChange]) -> Vec<String> {
    changes
        .iter()
        .filter_map(|c| c.classification.destructive.as_deref())
        .map(|why| format!("warning: destructive: {why}"))
        .collect()
}

/// One line per change that destroys data, rewrites a table or takes a
/// strong lock, naming every risk it carries (for `generate`).
pub fn risks(changes: &[PlannedChange]) -> Vec<String> {
    changes
        .iter()
        .filter_map(|c| {
            let k = &c.classification;
            let notes: Vec<String> = [
                ("destructive", &k.destructive),
                ("rewrites table", &k.rewrites_table),
                ("strong lock", &k.strong_lock),
            ]
            .into_iter()
            .filter_map(|(kind, why)| why.as_deref().map(|w| format!("{kind}: {w}")))
            .collect();
            (!notes.is_empty()).then(|| format!("warning: {}", notes.join("; ")))
        })
        .collect()
}
