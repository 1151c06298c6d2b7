//! The result of one case, and how it is printed.

use std::fmt;

/// What happened to one case.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    Pass,
    /// The case failed; the reason is one line, its first words name the stage
    /// (`diff emits invalid SQL: ...`) so that failures group by cause.
    Fail(String),
    /// Not run here (offline-only upstream, server too old, extension missing).
    /// Never counted as passed.
    Skip(String),
}

impl Outcome {
    /// A failure with the reason squeezed onto one line.
    pub fn fail(reason: impl Into<String>) -> Self {
        Outcome::Fail(one_line(&reason.into()))
    }

    pub fn is_pass(&self) -> bool {
        matches!(self, Outcome::Pass)
    }

    pub fn is_fail(&self) -> bool {
        matches!(self, Outcome::Fail(_))
    }
}

/// One case's printed line: `PASS Name`, `FAIL Name: reason`, `SKIP Name: reason`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CaseResult {
    pub name: String,
    pub outcome: Outcome,
}

impl fmt::Display for CaseResult {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.outcome {
            Outcome::Pass => write!(f, "PASS {}", self.name),
            Outcome::Fail(reason) => write!(f, "FAIL {}: {reason}", self.name),
            Outcome::Skip(reason) => write!(f, "SKIP {}: {reason}", self.name),
        }
    }
}

/// Collapses whitespace runs (newlines included) into single spaces and caps
/// the length, so a reason fits one line of the report and of the TOML file.
pub fn one_line(text: &str) -> String {
    const MAX: usize = 300;
    let squeezed = text.split_whitespace().collect::<Vec<_>>().join(" ");
    if squeezed.chars().count() <= MAX {
        squeezed
    } else {
        let cut: String = squeezed.chars().take(MAX).collect();
        format!("{cut}…")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prints_one_line_per_case() {
        let r = CaseResult {
            name: "A".into(),
            outcome: Outcome::fail("diff emits invalid SQL:\n  ERROR 42601"),
        };
        assert_eq!(r.to_string(), "FAIL A: diff emits invalid SQL: ERROR 42601");
        let p = CaseResult {
            name: "B".into(),
            outcome: Outcome::Pass,
        };
        assert_eq!(p.to_string(), "PASS B");
    }
}
