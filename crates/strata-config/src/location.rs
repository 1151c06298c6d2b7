//! Where in a file something is: 1-based line and column plus the byte span,
//! so a message can say `strata.toml:4:7` and a renderer can underline it.

use std::ops::Range;
use std::path::{Path, PathBuf};

/// A place in a config or `.env` file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Location {
    pub path: PathBuf,
    /// 1-based.
    pub line: usize,
    /// 1-based, in characters.
    pub column: usize,
    /// Byte range in the file's text.
    pub span: Range<usize>,
}

impl Location {
    /// The location of byte range `span` in `text` (the contents of `path`).
    pub fn of(path: &Path, text: &str, span: Range<usize>) -> Location {
        let start = floor_boundary(text, span.start.min(text.len()));
        let before = &text[..start];
        let line = before.matches('\n').count() + 1;
        let line_start = before.rfind('\n').map_or(0, |i| i + 1);
        let column = text[line_start..start].chars().count() + 1;
        let end = span.end.clamp(start, text.len());
        Location {
            path: path.to_path_buf(),
            line,
            column,
            span: start..end,
        }
    }
}

impl std::fmt::Display for Location {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}:{}:{}", self.path.display(), self.line, self.column)
    }
}

fn floor_boundary(text: &str, mut i: usize) -> usize {
    while !text.is_char_boundary(i) {
        i -= 1;
    }
    i
}

#[cfg(test)]
mod tests {
    use super::Location;

    #[test]
    fn line_and_column_are_one_based() {
        let text = "a = 1\nbé = 2\n";
        let at = Location::of("f.toml".as_ref(), text, 10..11);
        assert_eq!((at.line, at.column), (2, 4));
        assert_eq!(at.to_string(), "f.toml:2:4");
        let start = Location::of("f.toml".as_ref(), text, 0..1);
        assert_eq!((start.line, start.column), (1, 1));
    }
}
