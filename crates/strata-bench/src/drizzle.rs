//! The drizzle-kit baseline: `drizzle-kit generate` on the same 1% change.
//!
//! bench/drizzle holds the npm project (drizzle-kit, drizzle-orm) and two
//! scripts: `gen-schema.mjs` writes drizzle's TypeScript schema of the same
//! tables as [`crate::database`], and `prepare.mjs` runs the baseline
//! `generate` and swaps in the changed schema. What we time is the second
//! `generate` only, with its migrations folder restored before each run.

use crate::external::{self, ExternalError, Run};
use std::path::{Path, PathBuf};

/// The drizzle-kit project folder and its scratch folder.
#[derive(Debug, Clone)]
pub struct Drizzle {
    pub project: PathBuf,
    node: PathBuf,
}

impl Drizzle {
    /// The project at `project`, when `npm ci` has been run in it.
    pub fn find(project: &Path) -> Result<Drizzle, String> {
        let kit = project.join("node_modules/drizzle-kit/bin.cjs");
        if !kit.is_file() {
            return Err(format!(
                "{} not found: run `npm ci` in {}",
                kit.display(),
                project.display()
            ));
        }
        Ok(Drizzle {
            project: project.to_path_buf(),
            node: PathBuf::from("node"),
        })
    }

    fn work(&self) -> PathBuf {
        self.project.join("work")
    }

    /// Writes both schemas and runs the baseline `generate` (not timed).
    pub fn prepare(&self, tables: usize) -> Result<(), ExternalError> {
        let tables = tables.to_string();
        external::run(
            &self.node,
            &["prepare.mjs", &tables, "work"],
            Some(&self.project),
        )
        .map(drop)
    }

    /// Puts the migrations folder back to the baseline (not timed).
    pub fn restore(&self) -> Result<(), ExternalError> {
        external::run(
            &self.node,
            &["prepare.mjs", "restore", "work"],
            Some(&self.project),
        )
        .map(drop)
    }

    /// One timed `drizzle-kit generate` of the changed schema, the way a user
    /// runs it (`npx drizzle-kit generate` minus npx's own start-up).
    pub fn generate(&self) -> Result<Run, ExternalError> {
        external::run(
            &self.node,
            &[
                "../node_modules/drizzle-kit/bin.cjs",
                "generate",
                "--dialect=postgresql",
                "--schema=schema.ts",
                "--out=migrations",
            ],
            Some(&self.work()),
        )
    }

    /// The SQL of the migration the last `generate` wrote (the one that is not
    /// in the baseline), to check that drizzle-kit saw the same change.
    pub fn generated_sql(&self) -> Option<String> {
        let baseline = self.work().join("baseline");
        let migrations = self.work().join("migrations");
        let entries = std::fs::read_dir(&migrations).ok()?;
        for entry in entries.flatten() {
            let name = entry.file_name();
            let is_sql = name.to_string_lossy().ends_with(".sql");
            if is_sql && !baseline.join(&name).exists() {
                return std::fs::read_to_string(entry.path()).ok();
            }
        }
        None
    }

    pub fn node_modules(&self) -> PathBuf {
        self.project.join("node_modules")
    }
}
