//! `strata check`: every problem in the migrations folder, with the folders
//! involved and the fix for each. The work is `strata_migrate::check`.

use crate::args::CheckArgs;
use crate::config::Project;
use crate::error::CliError;
use crate::Outcome;
use strata_migrate::FolderError;

pub fn run(args: CheckArgs, project: &Project) -> Result<Outcome, CliError> {
    let dir = &project.migrations_dir(args.dir);
    let problems = strata_migrate::check(dir).map_err(|e| from_folder(&e))?;
    let mut out = Outcome::default();
    if problems.is_empty() {
        let count = strata_migrate::load_folder(dir)
            .map_err(|e| from_folder(&e))?
            .len();
        out.stdout = format!(
            "{}: {count} migration(s), history is linear, no problems.\n",
            dir.display()
        );
        return Ok(out);
    }
    out.stderr.push(format!(
        "error: {} problem(s) in {}:",
        problems.len(),
        dir.display()
    ));
    for p in &problems {
        out.stderr.push(format!("  - {p}"));
        out.stderr.push(format!("    fix: {}", p.fix()));
    }
    out.exit = 1;
    Ok(out)
}

/// A folder error as the user sees it (the library's message names the
/// folder and the fix already).
pub(crate) fn from_folder(error: &FolderError) -> CliError {
    let code = match error {
        FolderError::Missing(_) => "strata::no_migrations",
        _ => "strata::migrations",
    };
    let mut e = CliError::new(code, error.to_string());
    if !matches!(error, FolderError::Missing(_)) {
        e = e.help("run `strata check` to see every problem in the folder");
    }
    e
}
