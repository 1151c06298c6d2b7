//! Printing an error report: miette's graphical report, colours only on a
//! terminal, no line wrapping (paths and URLs stay whole and greppable), and
//! every known password masked.

use crate::error::CliError;
use crate::secrets::Secrets;
use miette::{GraphicalReportHandler, GraphicalTheme};
use std::io::IsTerminal;

pub fn print(error: &CliError, secrets: &Secrets) {
    let colour = std::io::stderr().is_terminal() && std::env::var_os("NO_COLOR").is_none();
    let theme = if colour {
        GraphicalTheme::unicode()
    } else {
        GraphicalTheme::unicode_nocolor()
    };
    let handler = GraphicalReportHandler::new_themed(theme).with_wrap_lines(false);
    let mut text = String::new();
    if handler.render_report(&mut text, error).is_err() {
        // Rendering cannot really fail into a String; keep the facts anyway.
        text = format!("error: {error}\n");
    }
    eprint!("{}", secrets.mask(&text));
}
