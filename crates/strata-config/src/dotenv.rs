//! `.env` files: `KEY=VALUE` lines, as most tools write them.
//!
//! Supported: `#` comment lines, an optional `export ` in front, unquoted
//! values (a ` #` starts a comment), 'single-quoted' values taken literally,
//! and "double-quoted" values with `\n`, `\"` and `\\` escapes. Anything else
//! is an error naming the file and line rather than a silently wrong value.

use crate::error::ConfigError;
use crate::location::Location;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// The variables of one `.env` file.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DotEnv {
    /// The file it was read from.
    pub path: PathBuf,
    pub vars: BTreeMap<String, String>,
}

impl DotEnv {
    /// Reads `path`; a missing file is an empty set of variables.
    pub fn load(path: &Path) -> Result<DotEnv, ConfigError> {
        match std::fs::read_to_string(path) {
            Ok(text) => parse_dotenv(path, &text),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(DotEnv {
                path: path.to_path_buf(),
                vars: BTreeMap::new(),
            }),
            Err(source) => Err(ConfigError::Io {
                path: path.to_path_buf(),
                source,
            }),
        }
    }
}

/// Parses the text of a `.env` file (`path` is for messages).
pub fn parse_dotenv(path: &Path, text: &str) -> Result<DotEnv, ConfigError> {
    let mut vars = BTreeMap::new();
    let mut line_start = 0;
    for raw_line in text.split_inclusive('\n') {
        let start = line_start;
        line_start += raw_line.len();
        let line = raw_line.trim_end_matches(['\n', '\r']);
        let trimmed = line.trim_start();
        if trimmed.is_empty() || trimmed.starts_with('#') {
            continue;
        }
        let indent = line.len() - trimmed.len();
        let error = |column_offset: usize, message: String| ConfigError::DotEnv {
            at: Location::of(
                path,
                text,
                start + column_offset..start + line.len().max(column_offset),
            ),
            message,
            text: text.to_string(),
        };
        let body = trimmed.strip_prefix("export ").unwrap_or(trimmed);
        let body_offset = indent + (trimmed.len() - body.len());
        let Some((key, value)) = body.split_once('=') else {
            return Err(error(
                body_offset,
                "expected KEY=VALUE (a line without `=`)".to_string(),
            ));
        };
        let key = key.trim();
        let valid_key = !key.is_empty()
            && !key.starts_with(|c: char| c.is_ascii_digit())
            && key.chars().all(|c| c.is_ascii_alphanumeric() || c == '_');
        if !valid_key {
            return Err(error(
                body_offset,
                format!("invalid variable name `{key}`: expected letters, digits and `_`"),
            ));
        }
        let value_offset = body_offset + body.find('=').unwrap_or(0) + 1;
        let value = value.trim();
        let parsed = if let Some(inner) = value.strip_prefix('\'') {
            match inner.find('\'') {
                Some(end)
                    if inner[end + 1..].trim().is_empty()
                        || inner[end + 1..].trim_start().starts_with('#') =>
                {
                    inner[..end].to_string()
                }
                _ => {
                    return Err(error(
                        value_offset,
                        format!("unterminated or malformed single-quoted value of `{key}`"),
                    ))
                }
            }
        } else if let Some(inner) = value.strip_prefix('"') {
            match double_quoted(inner) {
                Some(v) => v,
                None => {
                    return Err(error(
                        value_offset,
                        format!("unterminated or malformed double-quoted value of `{key}`"),
                    ))
                }
            }
        } else {
            match value.find(" #") {
                Some(i) => value[..i].trim_end().to_string(),
                None => value.to_string(),
            }
        };
        vars.insert(key.to_string(), parsed);
    }
    Ok(DotEnv {
        path: path.to_path_buf(),
        vars,
    })
}

/// The value of a double-quoted string after its opening quote; `None` when
/// it is not closed or is followed by anything but a comment.
fn double_quoted(inner: &str) -> Option<String> {
    let mut out = String::new();
    let mut chars = inner.char_indices();
    while let Some((i, c)) = chars.next() {
        match c {
            '\\' => match chars.next()?.1 {
                'n' => out.push('\n'),
                't' => out.push('\t'),
                'r' => out.push('\r'),
                other => out.push(other),
            },
            '"' => {
                let tail = inner[i + 1..].trim();
                return (tail.is_empty() || tail.starts_with('#')).then_some(out);
            }
            c => out.push(c),
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::parse_dotenv;
    use crate::ConfigError;

    #[test]
    fn reads_the_usual_spellings() {
        let text = "# comment\n\nA=1\nexport B = two words # note\nC='lit $X # no'\nD=\"l1\\nl2\" # c\nE=\nF=a#b\n";
        let env = parse_dotenv(".env".as_ref(), text).unwrap();
        let get = |k: &str| env.vars.get(k).map(String::as_str);
        assert_eq!(get("A"), Some("1"));
        assert_eq!(get("B"), Some("two words"));
        assert_eq!(get("C"), Some("lit $X # no"));
        assert_eq!(get("D"), Some("l1\nl2"));
        assert_eq!(get("E"), Some(""));
        assert_eq!(get("F"), Some("a#b"));
    }

    #[test]
    fn errors_name_the_line() {
        let err = parse_dotenv(".env".as_ref(), "A=1\nnot a pair\n").unwrap_err();
        let ConfigError::DotEnv { at, .. } = &err else {
            panic!("{err:?}")
        };
        assert_eq!((at.line, at.column), (2, 1));
        assert!(
            err.to_string().starts_with(".env:2:1: expected KEY=VALUE"),
            "{err}"
        );
        let err = parse_dotenv(".env".as_ref(), "X=\"open\n").unwrap_err();
        assert!(err.to_string().contains("`X`"), "{err}");
        let err = parse_dotenv(".env".as_ref(), "1A=x\n").unwrap_err();
        assert!(
            err.to_string().contains("invalid variable name `1A`"),
            "{err}"
        );
    }
}
