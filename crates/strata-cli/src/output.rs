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
