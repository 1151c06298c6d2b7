//! How commands print: colour only on a terminal and never under `NO_COLOR`
//! (<https://no-color.org>), and `--format text|json` for read commands.

use clap::ValueEnum;
use std::io::IsTerminal;

/// The output of a read command.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, ValueEnum)]
pub enum Format {
    /// For people.
    #[default]
    Text,
    /// For scripts: one JSON document on stdout.
    Json,
}

/// Whether to colour what goes to stdout: a terminal, and `NO_COLOR` unset
/// (or empty, as the convention says).
pub fn colour_stdout() -> bool {
    std::io::stdout().is_terminal()
        && !matches!(std::env::var_os("NO_COLOR"), Some(v) if !v.is_empty())
}

/// ANSI styling that is a no-op when colour is off.
#[derive(Debug, Clone, Copy)]
pub struct Paint {
    on: bool,
}

impl Paint {
    /// Styling for stdout.
    pub fn stdout() -> Paint {
        Paint {
            on: colour_stdout(),
        }
    }

    fn wrap(self, code: &str, text: &str) -> String {
        if self.on {
            format!("\x1b[{code}m{text}\x1b[0m")
        } else {
            text.to_string()
        }
    }

    pub fn green(self, text: &str) -> String {
        self.wrap("32", text)
    }

    pub fn yellow(self, text: &str) -> String {
        self.wrap("33", text)
    }

    pub fn bold(self, text: &str) -> String {
        self.wrap("1", text)
    }

    pub fn dim(self, text: &str) -> String {
        self.wrap("2", text)
    }
}

/// Pretty JSON with a final newline.
pub fn json(value: &serde_json::Value) -> String {
    let mut text = serde_json::to_string_pretty(value).unwrap_or_else(|_| "null".to_string());
    text.push('\n');
    text
}

#[cfg(test)]
mod tests {
    use super::Paint;

    #[test]
    fn paint_is_plain_when_off() {
        assert_eq!(Paint { on: false }.green("ok"), "ok");
        assert_eq!(Paint { on: true }.green("ok"), "\x1b[32mok\x1b[0m");
    }
}

/// A one-line progress bar on stderr for multi-step work (`[####----] 3/8
/// name`), redrawn in place; silent when stderr is not a terminal, so logs
/// and pipes get only the final report.
#[derive(Debug)]
pub struct ProgressBar {
    on: bool,
}

impl ProgressBar {
    /// A bar that draws only when stderr is a terminal.
    pub fn stderr() -> ProgressBar {
        ProgressBar {
            on: std::io::stderr().is_terminal(),
        }
    }

    /// Shows step `done` of `total`, working on `what`.
    pub fn show(&self, done: usize, total: usize, what: &str) {
        if self.on {
            eprint!("\r\x1b[2K{}", bar_line(done, total, what));
        }
    }

    /// Clears the bar, leaving the line for the report.
    pub fn finish(&self) {
        if self.on {
            eprint!("\r\x1b[2K");
        }
    }
}

/// The text of the bar, 20 cells wide.
fn bar_line(done: usize, total: usize, what: &str) -> String {
    const WIDTH: usize = 20;
    let filled = (done * WIDTH)
        .checked_div(total)
        .unwrap_or(WIDTH)
        .min(WIDTH);
    format!(
        "[{}{}] {done}/{total} {what}",
        "#".repeat(filled),
        "-".repeat(WIDTH - filled)
    )
}

#[cfg(test)]
mod progress_tests {
    use super::bar_line;

    #[test]
    fn the_bar_fills_with_the_steps() {
        assert_eq!(bar_line(0, 4, "a"), "[--------------------] 0/4 a");
        assert_eq!(bar_line(2, 4, "b"), "[##########----------] 2/4 b");
        assert_eq!(bar_line(4, 4, "c"), "[####################] 4/4 c");
        assert_eq!(bar_line(0, 0, "d"), "[####################] 0/0 d");
    }
}
