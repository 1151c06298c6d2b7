//! The Markdown report: one table per measurement, ours and the baselines side by side.

use crate::timing::{human, Summary};
use std::fmt::Write;

/// One line of a result table.
#[derive(Debug, Clone)]
pub struct Row {
    /// Who: `strata` or a baseline.
    pub tool: String,
    /// What exactly is inside the timed span.
    pub what: String,
    /// `Err(reason)` when this could not be measured.
    pub result: Result<Summary, String>,
}

impl Row {
    pub fn new(tool: &str, what: &str, result: Result<Summary, String>) -> Row {
        Row {
            tool: tool.into(),
            what: what.into(),
            result,
        }
    }
}

/// A titled table of rows with notes under it.
#[derive(Debug, Clone, Default)]
pub struct Section {
    pub title: String,
    pub rows: Vec<Row>,
    pub notes: Vec<String>,
}

impl Section {
    pub fn new(title: impl Into<String>) -> Section {
        Section {
            title: title.into(),
            ..Section::default()
        }
    }

    pub fn row(&mut self, tool: &str, what: &str, result: Result<Summary, String>) {
        self.rows.push(Row::new(tool, what, result));
    }

    pub fn note(&mut self, note: impl Into<String>) {
        self.notes.push(note.into());
    }

    pub fn to_markdown(&self) -> String {
        let mut out = String::new();
        let _ = writeln!(out, "### {}\n", self.title);
        let _ = writeln!(
            out,
            "| tool | timed span | median | min | max | CPU (median) | runs |"
        );
        let _ = writeln!(out, "|---|---|--:|--:|--:|--:|--:|");
        for row in &self.rows {
            let _ = match &row.result {
                Ok(s) => writeln!(
                    out,
                    "| {} | {} | {} | {} | {} | {} | {} |",
                    row.tool,
                    row.what,
                    human(s.median),
                    human(s.min),
                    human(s.max),
                    s.cpu_median.map(human).unwrap_or_default(),
                    s.runs
                ),
                Err(why) => writeln!(
                    out,
                    "| {} | {} | not measured: {} | | | | |",
                    row.tool, row.what, why
                ),
            };
        }
        if !self.notes.is_empty() {
            out.push('\n');
            for note in &self.notes {
                let _ = writeln!(out, "- {note}");
            }
        }
        out
    }
}
