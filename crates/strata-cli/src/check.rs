//! `strata check`: every problem in the migrations folder, with the folders
//! involved and the fix for each. The work is `strata_migrate::check`.

use crate::args::CheckArgs;
use crate::config::Project;
use crate::error::CliError;
use crate::output::Format;
use crate::Outcome;
use strata_migrate::FolderError;

pub fn run(args: CheckArgs, project: &Project) -> Result<Outcome, CliError> {
    let dir = &project.migrations_dir(args.dir);
    let problems = strata_migrate::check(dir).map_err(|e| from_folder(&e))?;
    let mut out = Outcome::default();
    if args.format == Format::Json {
        let list: Vec<_> = problems
            .iter()
            .map(|p| serde_json::json!({ "problem": p.to_string(), "fix": p.fix() }))
            .collect();
        let doc = serde_json::json!({ "dir": dir.display().to_string(), "problems": list });
        out.stdout = format!("{doc:#}\n");
        out.exit = u8::from(!problems.is_empty());
        return Ok(out);
    }
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
