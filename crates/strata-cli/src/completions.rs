//! `strata completions SHELL`: a completion script for bash, zsh, fish,
//! elvish or PowerShell, generated from the command definitions.

use crate::{Cli, Outcome};
use clap::{Args, CommandFactory};
use clap_complete::Shell;

#[derive(Debug, Args)]
#[command(after_help = "\
Examples:
  strata completions bash > ~/.local/share/bash-completion/completions/strata
  strata completions zsh > \"${fpath[1]}/_strata\"
  strata completions fish > ~/.config/fish/completions/strata.fish")]
pub struct CompletionsArgs {
    /// The shell to write completions for.
    #[arg(value_enum)]
    pub shell: Shell,
}

pub fn run(args: CompletionsArgs) -> Outcome {
    let mut script = Vec::new();
    clap_complete::generate(args.shell, &mut Cli::command(), "strata", &mut script);
    Outcome {
        stdout: String::from_utf8_lossy(&script).into_owned(),
        ..Outcome::default()
    }
}
