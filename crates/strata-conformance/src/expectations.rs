//! The ratchet: `expected-failures.toml` (every failing case with a one-line
//! reason) and `ratchet.toml` (the minimum pass count), and the verdict that
//! compares a run against them.
//!
//! The list is kept honest both ways: a failure not listed is a regression,
//! and a listed case that passes must be taken off the list.

use crate::error::ConformanceError;
use crate::outcome::{CaseResult, Outcome};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::path::Path;

/// What the committed files say the run must achieve.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Expectations {
    /// Case name -> why it fails today.
    pub failures: BTreeMap<String, String>,
    /// The run fails when fewer cases pass.
    pub min_passed: usize,
}

#[derive(Debug, Serialize, Deserialize)]
struct RatchetFile {
    min_passed: usize,
}

const FAILURES_HEADER: &str = "\
# Conformance cases that fail today, each with why (one line).
# A failure not listed here fails the run (a regression); a listed case that
# passes fails the run too, until it is removed from this list.
# Regenerate after a full run with STRATA_CONFORMANCE_BLESS=1, then review.
";

const RATCHET_HEADER: &str = "\
# Minimum number of conformance cases that must pass. Only ever raise it.
";

impl Expectations {
    /// Reads both files; a missing file counts as empty (nothing expected to
    /// fail, minimum 0), a malformed one is an error.
    pub fn load(failures_path: &Path, ratchet_path: &Path) -> Result<Self, ConformanceError> {
        let read = |path: &Path| match std::fs::read_to_string(path) {
            Ok(text) => Ok(Some(text)),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
            Err(source) => Err(ConformanceError::Io {
                path: path.to_path_buf(),
                source,
            }),
        };
        let bad = |path: &Path, e: toml::de::Error| ConformanceError::BadExpectations {
            path: path.to_path_buf(),
            reason: e.to_string(),
        };
        let failures = match read(failures_path)? {
            Some(text) => toml::from_str(&text).map_err(|e| bad(failures_path, e))?,
            None => BTreeMap::new(),
        };
        let min_passed = match read(ratchet_path)? {
            Some(text) => {
                toml::from_str::<RatchetFile>(&text)
                    .map_err(|e| bad(ratchet_path, e))?
                    .min_passed
            }
            None => 0,
        };
        Ok(Self {
            failures,
            min_passed,
        })
    }

    /// The expectations a run establishes: its failures and its pass count.
    pub fn from_results(results: &[CaseResult]) -> Self {
        Self {
            failures: results
                .iter()
                .filter_map(|r| match &r.outcome {
                    Outcome::Fail(reason) => Some((r.name.clone(), reason.clone())),
                    _ => None,
                })
                .collect(),
            min_passed: results.iter().filter(|r| r.outcome.is_pass()).count(),
        }
    }

    /// Writes both files (used by bless mode).
    pub fn write(&self, failures_path: &Path, ratchet_path: &Path) -> Result<(), ConformanceError> {
        let failures =
            toml::to_string(&self.failures).map_err(|e| ConformanceError::BadExpectations {
                path: failures_path.to_path_buf(),
                reason: e.to_string(),
            })?;
        let ratchet = toml::to_string(&RatchetFile {
            min_passed: self.min_passed,
        })
        .map_err(|e| ConformanceError::BadExpectations {
            path: ratchet_path.to_path_buf(),
            reason: e.to_string(),
        })?;
        let write = |path: &Path, text: String| {
            std::fs::write(path, text).map_err(|source| ConformanceError::Io {
                path: path.to_path_buf(),
                source,
            })
        };
        write(failures_path, format!("{FAILURES_HEADER}\n{failures}"))?;
        write(ratchet_path, format!("{RATCHET_HEADER}{ratchet}"))
    }
}

/// How a run measures up against the expectations.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Verdict {
    pub passed: usize,
    pub failed: usize,
    pub skipped: usize,
    /// Failing cases not listed as expected failures.
    pub regressions: Vec<String>,
    /// Listed cases that now pass: they must be removed from the list.
    pub fixed: Vec<String>,
    /// Listed cases that did not fail or pass here: skipped, or (on a full
    /// run) not in the corpus at all.
    pub stale: Vec<String>,
    /// `(passed, minimum)` when the pass count is below the ratchet.
    pub below_ratchet: Option<(usize, usize)>,
}

impl Verdict {
    /// Judges `results`. With `full_run` false (a filtered subset), the
    /// ratchet and the not-in-corpus check do not apply.
    pub fn judge(results: &[CaseResult], expected: &Expectations, full_run: bool) -> Self {
        let mut v = Verdict::default();
        for r in results {
            let listed = expected.failures.contains_key(&r.name);
            match &r.outcome {
                Outcome::Pass => {
                    v.passed += 1;
                    if listed {
                        v.fixed.push(r.name.clone());
                    }
                }
                Outcome::Fail(_) => {
                    v.failed += 1;
                    if !listed {
                        v.regressions.push(r.name.clone());
                    }
                }
                Outcome::Skip(_) => {
                    v.skipped += 1;
                    if listed {
                        v.stale.push(r.name.clone());
                    }
                }
            }
        }
        if full_run {
            for name in expected.failures.keys() {
                if !results.iter().any(|r| &r.name == name) {
                    v.stale.push(name.clone());
                }
            }
            if v.passed < expected.min_passed {
                v.below_ratchet = Some((v.passed, expected.min_passed));
            }
        }
        v
    }

    /// True when the run must fail.
    pub fn is_failure(&self) -> bool {
        !self.regressions.is_empty()
            || !self.fixed.is_empty()
            || !self.stale.is_empty()
            || self.below_ratchet.is_some()
    }

    /// The explanation lines printed before the summary line.
    pub fn explanations(&self) -> Vec<String> {
        let mut lines = Vec::new();
        for name in &self.regressions {
            lines.push(format!(
                "REGRESSION {name}: fails but is not listed in expected-failures.toml"
            ));
        }
        for name in &self.fixed {
            lines.push(format!(
                "FIXED {name}: passes now; remove it from expected-failures.toml"
            ));
        }
        for name in &self.stale {
            lines.push(format!(
                "STALE {name}: listed in expected-failures.toml but did not run and fail; remove it"
            ));
        }
        if let Some((passed, min)) = self.below_ratchet {
            lines.push(format!(
                "RATCHET {passed} passed is below the minimum of {min} in ratchet.toml"
            ));
        }
        lines
    }

    /// The last line of the report, exactly `N passed, M failed, K skipped`.
    pub fn summary(&self) -> String {
        format!(
            "{} passed, {} failed, {} skipped",
            self.passed, self.failed, self.skipped
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn result(name: &str, outcome: Outcome) -> CaseResult {
        CaseResult {
            name: name.into(),
            outcome,
        }
    }

    fn expectations(failures: &[&str], min_passed: usize) -> Expectations {
        Expectations {
            failures: failures
                .iter()
                .map(|n| (n.to_string(), "reason".to_string()))
                .collect(),
            min_passed,
        }
    }

    #[test]
    fn listed_failures_and_passes_are_fine() {
        let results = [
            result("A", Outcome::Pass),
            result("B", Outcome::fail("x")),
            result("C", Outcome::Skip("offline".into())),
        ];
        let v = Verdict::judge(&results, &expectations(&["B"], 1), true);
        assert!(!v.is_failure(), "{v:?}");
        assert_eq!(v.summary(), "1 passed, 1 failed, 1 skipped");
    }

    #[test]
    fn unlisted_failure_is_a_regression() {
        let results = [result("A", Outcome::fail("x"))];
        let v = Verdict::judge(&results, &expectations(&[], 0), true);
        assert_eq!(v.regressions, ["A"]);
        assert!(v.is_failure());
    }

    #[test]
    fn listed_pass_must_be_removed() {
        let results = [result("A", Outcome::Pass)];
        let v = Verdict::judge(&results, &expectations(&["A"], 0), true);
        assert_eq!(v.fixed, ["A"]);
        assert!(v.is_failure());
    }

    #[test]
    fn ratchet_applies_to_full_runs_only() {
        let results = [result("A", Outcome::Pass)];
        let full = Verdict::judge(&results, &expectations(&[], 2), true);
        assert_eq!(full.below_ratchet, Some((1, 2)));
        let subset = Verdict::judge(&results, &expectations(&["Gone"], 2), false);
        assert!(!subset.is_failure());
        let stale = Verdict::judge(&results, &expectations(&["Gone"], 0), true);
        assert_eq!(stale.stale, ["Gone"]);
    }

    #[test]
    fn files_round_trip() {
        let dir = std::env::temp_dir().join(format!("strata-conf-exp-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let (f, r) = (dir.join("expected-failures.toml"), dir.join("ratchet.toml"));
        let mut e = expectations(&["Case.With\"Odd name"], 7);
        e.failures.insert(
            "B".into(),
            "diff emits invalid SQL: ERROR 42601: syntax".into(),
        );
        e.write(&f, &r).unwrap();
        let back = Expectations::load(&f, &r).unwrap();
        std::fs::remove_dir_all(&dir).unwrap();
        assert_eq!(back, e);
    }

    #[test]
    fn missing_files_mean_nothing_expected() {
        let none = Path::new("/nonexistent/strata/x.toml");
        assert_eq!(
            Expectations::load(none, none).unwrap(),
            Expectations::default()
        );
    }
}
