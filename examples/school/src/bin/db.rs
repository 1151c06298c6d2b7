//! The school app's `db` binary: every `strata` command, knowing the schema
//! the code declares (`db generate`, `db diff --from "$DATABASE_URL" --to app`).

use std::process::ExitCode;

fn main() -> ExitCode {
    match strata_example_school::declared() {
        Ok(declared) => strata_cli::run_app(
            strata_cli::App::new(declared.schema).with_renames(declared.renames),
            std::env::args_os(),
        ),
        Err(e) => {
            eprintln!("error: the declared schema is invalid: {e}");
            ExitCode::from(1)
        }
    }
}
