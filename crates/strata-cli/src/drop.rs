//! `strata drop`: removes the newest migration folder. The work is
//! `strata_migrate::drop_newest`.

use crate::args::DropArgs;
use crate::check::from_folder;
use crate::config::Project;
use crate::error::CliError;
use crate::Outcome;
use strata_migrate::DropError;

pub fn run(args: DropArgs, project: &Project) -> Result<Outcome, CliError> {
    let dir = &project.migrations_dir(args.dir);
    let removed = strata_migrate::drop_newest(dir, args.name.as_deref()).map_err(|e| match e {
        DropError::Folder(f) => from_folder(&f),
        DropError::NotNewest { .. } => CliError::new("strata::not_newest", e.to_string())
            .help("drop the newer migrations first (`strata drop` removes the newest), or leave it and generate a new migration that undoes it"),
        other => CliError::new("strata::drop", other.to_string()),
    })?;
    Ok(Outcome {
        stdout: format!(
            "Removed {}/ (up.sql, down.sql, snapshot.json).\n",
            dir.join(&removed).display()
        ),
        stderr: vec![format!(
            "note: a database that applied `{removed}` keeps its changes: restore the folder from version control and roll it back there (its down.sql), or undo it by hand"
        )],
        exit: 0,
    })
}
