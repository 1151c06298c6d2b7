//! The independent check: `pg_dump --schema-only` of both databases,
//! normalized and compared. It does not go through Strata's introspection, so
//! an object the model forgets (or two objects it confuses) still shows up.
//!
//! Normalizing removes what differs between two dumps of the same schema:
//! comments, session `SET`s, psql meta-commands (`\restrict <random key>`),
//! blank lines, the order of statements, and the order of the lines inside a
//! `CREATE TABLE (...)` body (column order is not significant to Strata:
//! PostgreSQL appends added columns and cannot reorder them).

use std::path::Path;
use tokio::process::Command;

/// Runs `pg_dump --schema-only --no-owner` against `url`. `bin_dir` is the
/// folder of the server's binaries (so the dump tool matches the server);
/// without it, `pg_dump` is taken from `PATH`.
pub async fn pg_dump(bin_dir: Option<&Path>, url: &str) -> Result<String, String> {
    let program = bin_dir.map_or_else(|| "pg_dump".into(), |d| d.join("pg_dump"));
    let output = Command::new(&program)
        .args(["--schema-only", "--no-owner", "--dbname"])
        .arg(url)
        .env("PGCONNECT_TIMEOUT", "10")
        .output()
        .await
        .map_err(|e| format!("could not run {}: {e}", program.display()))?;
    if output.status.success() {
        String::from_utf8(output.stdout).map_err(|e| format!("pg_dump printed non-UTF-8: {e}"))
    } else {
        Err(format!(
            "pg_dump failed: {}",
            String::from_utf8_lossy(&output.stderr).trim()
        ))
    }
}

/// Normalizes a schema-only dump into a sorted list of statements (each
/// without its `;`, lines trimmed on the right and joined by `\n`).
pub fn normalize(dump: &str) -> Vec<String> {
    let mut statements: Vec<String> = split_statements(dump)
        .into_iter()
        .filter_map(|s| normalize_statement(&s))
        .collect();
    statements.sort();
    statements
}

/// Compares two normalized dumps; `None` when equal, otherwise a one-line
/// summary naming the first statement only `actual` has and the first only
/// `expected` has.
pub fn compare(actual: &[String], expected: &[String]) -> Option<String> {
    if actual == expected {
        return None;
    }
    let mut only_expected: Vec<&String> = Vec::new();
    let mut rest: Vec<&String> = actual.iter().collect();
    for statement in expected {
        match rest.iter().position(|s| *s == statement) {
            Some(i) => {
                rest.remove(i);
            }
            None => only_expected.push(statement),
        }
    }
    let mut parts = Vec::new();
    if let Some(s) = only_expected.first() {
        parts.push(format!(
            "missing `{}` ({} missing)",
            crate::outcome::one_line(s),
            only_expected.len()
        ));
    }
    if let Some(s) = rest.first() {
        parts.push(format!(
            "unexpected `{}` ({} unexpected)",
            crate::outcome::one_line(s),
            rest.len()
        ));
    }
    Some(parts.join("; "))
}

/// One statement's text, or `None` when it is session noise.
fn normalize_statement(text: &str) -> Option<String> {
    let lines: Vec<&str> = text
        .lines()
        .map(str::trim_end)
        .filter(|l| !l.trim().is_empty())
        .collect();
    let first = lines.first()?.trim_start();
    if first.starts_with("SET ") || first.starts_with("SELECT pg_catalog.set_config(") {
        return None;
    }
    let mut lines: Vec<String> = lines.iter().map(|l| l.to_string()).collect();
    if is_create_table(first) && first.ends_with('(') {
        if let Some(close) = lines
            .iter()
            .skip(1)
            .position(|l| l.trim_start().starts_with(')'))
        {
            let body = &mut lines[1..=close];
            for line in body.iter_mut() {
                *line = line.trim().trim_end_matches(',').to_string();
            }
            body.sort();
        }
    }
    Some(lines.join("\n"))
}

fn is_create_table(first_line: &str) -> bool {
    [
        "CREATE TABLE ",
        "CREATE UNLOGGED TABLE ",
        "CREATE FOREIGN TABLE ",
    ]
    .iter()
    .any(|p| first_line.starts_with(p))
}

/// Splits SQL text into statements at top-level `;`, dropping `--` and
/// `/* */` comments and psql meta-command lines (`\restrict ...`). Quotes
/// (`'...'`, `E'...'`, `"..."`, `$tag$...$tag$`) are kept whole, so a `;` or
/// `--` inside a function body or a comment string does not split.
pub fn split_statements(sql: &str) -> Vec<String> {
    let chars: Vec<char> = sql.chars().collect();
    let mut statements = Vec::new();
    let mut current = String::new();
    let mut i = 0;
    let mut line_start = true;
    while i < chars.len() {
        let c = chars[i];
        let next = chars.get(i + 1).copied();
        match c {
            '\\' if line_start => {
                while i < chars.len() && chars[i] != '\n' {
                    i += 1;
                }
                continue;
            }
            '-' if next == Some('-') => {
                while i < chars.len() && chars[i] != '\n' {
                    i += 1;
                }
                continue;
            }
            '/' if next == Some('*') => {
                let mut depth = 0usize;
                while i < chars.len() {
                    if chars[i] == '/' && chars.get(i + 1) == Some(&'*') {
                        depth += 1;
                        i += 2;
                    } else if chars[i] == '*' && chars.get(i + 1) == Some(&'/') {
                        depth -= 1;
                        i += 2;
                        if depth == 0 {
                            break;
                        }
                    } else {
                        i += 1;
                    }
                }
                continue;
            }
            '\'' => {
                let escapes = i > 0
                    && matches!(chars[i - 1], 'E' | 'e')
                    && (i < 2 || !chars[i - 2].is_alphanumeric() && chars[i - 2] != '_');
                i = copy_quoted(&chars, i, '\'', escapes, &mut current);
                line_start = false;
                continue;
            }
            '"' => {
                i = copy_quoted(&chars, i, '"', false, &mut current);
                line_start = false;
                continue;
            }
            '$' => {
                if let Some(tag) = dollar_tag(&chars, i) {
                    let tag_len = tag.len();
                    let end = find_seq(&chars, i + tag_len, &tag);
                    let stop = end.map_or(chars.len(), |e| e + tag_len);
                    current.extend(&chars[i..stop]);
                    i = stop;
                    line_start = false;
                    continue;
                }
            }
            ';' => {
                if !current.trim().is_empty() {
                    statements.push(std::mem::take(&mut current));
                } else {
                    current.clear();
                }
                i += 1;
                continue;
            }
            _ => {}
        }
        current.push(c);
        if c == '\n' {
            line_start = true;
        } else if !c.is_whitespace() {
            line_start = false;
        }
        i += 1;
    }
    if !current.trim().is_empty() {
        statements.push(current);
    }
    statements
}

/// Copies a quoted token starting at `start` (the opening quote) into `out`;
/// returns the index after the closing quote.
fn copy_quoted(
    chars: &[char],
    start: usize,
    quote: char,
    escapes: bool,
    out: &mut String,
) -> usize {
    out.push(quote);
    let mut i = start + 1;
    while i < chars.len() {
        let c = chars[i];
        out.push(c);
        i += 1;
        if escapes && c == '\\' {
            if let Some(&n) = chars.get(i) {
                out.push(n);
                i += 1;
            }
        } else if c == quote {
            // A doubled quote is an escaped quote, not the end.
            if chars.get(i) == Some(&quote) {
                out.push(quote);
                i += 1;
            } else {
                return i;
            }
        }
    }
    i
}

/// The dollar-quote opener at `i` (`$$` or `$tag$`), if there is one.
fn dollar_tag(chars: &[char], i: usize) -> Option<Vec<char>> {
    // `$1` is a parameter, and a `$` inside an identifier (`a$b`) is not a quote.
    if i > 0 && (chars[i - 1].is_alphanumeric() || chars[i - 1] == '_') {
        return None;
    }
    let mut j = i + 1;
    while j < chars.len() && (chars[j].is_alphanumeric() || chars[j] == '_') {
        if j == i + 1 && chars[j].is_ascii_digit() {
            return None;
        }
        j += 1;
    }
    (chars.get(j) == Some(&'$')).then(|| chars[i..=j].to_vec())
}

fn find_seq(chars: &[char], from: usize, seq: &[char]) -> Option<usize> {
    (from..chars.len().saturating_sub(seq.len() - 1)).find(|&k| chars[k..k + seq.len()] == *seq)
}

#[cfg(test)]
mod tests {
    use super::*;

    const DUMP_A: &str = r#"--
-- PostgreSQL database dump
--

\restrict rgoIgwE46bhg1gsO8PzehojF5L6c2IPjwa2QPEwShbVsBPEdmiQtbpOUeaEUh8L

-- Dumped from database version 15.18
SET statement_timeout = 0;
SELECT pg_catalog.set_config('search_path', '', false);

--
-- Name: f(); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.f() RETURNS integer
    LANGUAGE sql
    AS $$ select 1; -- not a comment to strip
$$;

CREATE TABLE public.t (
    id integer NOT NULL,
    b text,
    CONSTRAINT t_b_check CHECK ((b <> ';'::text))
)
PARTITION BY RANGE (id);

COMMENT ON TABLE public.t IS 'it''s; fine';

\unrestrict rgoIgwE46bhg1gsO8PzehojF5L6c2IPjwa2QPEwShbVsBPEdmiQtbpOUeaEUh8L
"#;

    /// The same schema, dumped with another random key, with the column added
    /// last and the statements in another order.
    const DUMP_B: &str = r#"\restrict OTHERKEY
SET lock_timeout = 0;
COMMENT ON TABLE public.t IS 'it''s; fine';

CREATE TABLE public.t (
    id integer NOT NULL,
    CONSTRAINT t_b_check CHECK ((b <> ';'::text)),
    b text
)
PARTITION BY RANGE (id);

CREATE FUNCTION public.f() RETURNS integer
    LANGUAGE sql
    AS $$ select 1; -- not a comment to strip
$$;
\unrestrict OTHERKEY
"#;

    #[test]
    fn equal_schemas_normalize_equal() {
        let a = normalize(DUMP_A);
        let b = normalize(DUMP_B);
        assert_eq!(a, b);
        assert_eq!(a.len(), 3, "{a:#?}");
        assert!(compare(&a, &b).is_none());
    }

    #[test]
    fn quoted_semicolons_and_dashes_survive() {
        let a = normalize(DUMP_A);
        assert!(a
            .iter()
            .any(|s| s.contains("select 1; -- not a comment to strip")));
        assert!(a
            .iter()
            .any(|s| s == "COMMENT ON TABLE public.t IS 'it''s; fine'"));
        assert!(a
            .iter()
            .any(|s| s.contains("CONSTRAINT t_b_check CHECK ((b <> ';'::text))\nb text")));
    }

    #[test]
    fn table_body_lines_are_sorted_without_commas() {
        let s = normalize("CREATE TABLE public.t (\n    z int,\n    a text NOT NULL\n);");
        assert_eq!(s, ["CREATE TABLE public.t (\na text NOT NULL\nz int\n)"]);
    }

    #[test]
    fn differences_are_named() {
        let a = normalize(
            "CREATE TABLE public.t (\n    a int\n);\nGRANT SELECT ON TABLE public.t TO app;",
        );
        let b = normalize(
            "CREATE TABLE public.t (\n    a int\n);\nCREATE INDEX i ON public.t USING btree (a);",
        );
        let msg = compare(&a, &b).unwrap();
        assert!(
            msg.contains("missing `CREATE INDEX i ON public.t USING btree (a)`"),
            "{msg}"
        );
        assert!(
            msg.contains("unexpected `GRANT SELECT ON TABLE public.t TO app`"),
            "{msg}"
        );
    }

    #[test]
    fn dollar_tags_and_escape_strings() {
        let parts = split_statements(
            "SELECT $fn$ a; $$ b; $fn$; SELECT E'x\\'; y'; SELECT \"a;b\"; SELECT a$b;",
        );
        assert_eq!(
            parts.iter().map(|s| s.trim()).collect::<Vec<_>>(),
            [
                "SELECT $fn$ a; $$ b; $fn$",
                "SELECT E'x\\'; y'",
                "SELECT \"a;b\"",
                "SELECT a$b"
            ]
        );
    }

    #[test]
    fn parameters_are_not_dollar_quotes() {
        let parts = split_statements("SELECT $1; SELECT 2;");
        assert_eq!(parts.len(), 2);
    }
}
