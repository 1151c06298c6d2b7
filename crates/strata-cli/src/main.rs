//! The `strata` binary: everything lives in the library so that an app's own
//! `db` binary can run the same commands.

fn main() -> std::process::ExitCode {
    strata_cli::run(std::env::args_os())
}
