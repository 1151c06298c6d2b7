//! Where the statements of a SQL file start and end.
//!
//! Only used to say *which* statement failed when the server's error has no
//! position (e.g. a foreign key naming a missing column): the file is then
//! replayed statement by statement. Files are always applied whole, as the
//! user wrote them; this split never changes what runs on success.

/// Byte ranges of the statements in `sql` (semicolons inside strings, quoted
/// identifiers, dollar quotes, comments and `BEGIN ATOMIC … END` bodies do not
/// split). A range starts at the statement's first code, after any blanks and
/// comments; empty statements (only blanks and comments) are left out.
pub fn split(sql: &str) -> Vec<std::ops::Range<usize>> {
    let b = sql.as_bytes();
    let mut out = Vec::new();
    // Where the current statement's first code (not blank, not comment) is.
    let mut start: Option<usize> = None;
    let mut i = 0;
    // `BEGIN ATOMIC` bodies: depth counts BEGIN ATOMIC / CASE against END.
    let mut atomic_depth = 0usize;
    let mut prev_word = String::new();
    while i < b.len() {
        let c = b[i];
        match c {
            b'-' if b.get(i + 1) == Some(&b'-') => {
                i = sql[i..].find('\n').map_or(b.len(), |n| i + n + 1);
                continue;
            }
            b'/' if b.get(i + 1) == Some(&b'*') => {
                i = skip_block_comment(b, i);
                continue;
            }
            b'\'' => {
                let escapes =
                    i > 0 && matches!(b[i - 1], b'E' | b'e') && !word_char_before(b, i - 1);
                start.get_or_insert(if escapes { i - 1 } else { i });
                i = skip_quoted(b, i, b'\'', escapes);
                continue;
            }
            b'"' => {
                start.get_or_insert(i);
                i = skip_quoted(b, i, b'"', false);
                continue;
            }
            b'$' => {
                if let Some(end) = skip_dollar_quote(sql, i) {
                    start.get_or_insert(i);
                    i = end;
                    continue;
                }
            }
            b';' if atomic_depth == 0 => {
                if let Some(s) = start.take() {
                    out.push(s..i + 1);
                }
                i += 1;
                continue;
            }
            _ => {}
        }
        if c.is_ascii_alphabetic() || c == b'_' {
            let end = (i..b.len())
                .find(|&j| !(b[j].is_ascii_alphanumeric() || b[j] == b'_' || b[j] == b'$'))
                .unwrap_or(b.len());
            let word = sql[i..end].to_ascii_uppercase();
            match word.as_str() {
                "ATOMIC" if prev_word == "BEGIN" => atomic_depth += 1,
                "CASE" if atomic_depth > 0 => atomic_depth += 1,
                "END" if atomic_depth > 0 => atomic_depth -= 1,
                _ => {}
            }
            prev_word = word;
            start.get_or_insert(i);
            i = end;
            continue;
        }
        if !c.is_ascii_whitespace() {
            start.get_or_insert(i);
        }
        i += 1;
    }
    if let Some(s) = start {
        out.push(s..b.len());
    }
    out
}

fn word_char_before(b: &[u8], i: usize) -> bool {
    i > 0 && (b[i - 1].is_ascii_alphanumeric() || b[i - 1] == b'_')
}

/// Skips a `/* … */` comment (they nest in PostgreSQL).
fn skip_block_comment(b: &[u8], mut i: usize) -> usize {
    let mut depth = 0;
    while i < b.len() {
        if b[i] == b'/' && b.get(i + 1) == Some(&b'*') {
            depth += 1;
            i += 2;
        } else if b[i] == b'*' && b.get(i + 1) == Some(&b'/') {
            depth -= 1;
            i += 2;
            if depth == 0 {
                return i;
            }
        } else {
            i += 1;
        }
    }
    b.len()
}

/// Skips a quoted string or identifier; a doubled quote is an escaped quote,
/// and in `E'…'` strings so is a backslash-escaped one.
fn skip_quoted(b: &[u8], mut i: usize, quote: u8, backslash_escapes: bool) -> usize {
    i += 1;
    while i < b.len() {
        if backslash_escapes && b[i] == b'\\' {
            i += 2;
        } else if b[i] == quote {
            if b.get(i + 1) == Some(&quote) {
                i += 2;
            } else {
                return i + 1;
            }
        } else {
            i += 1;
        }
    }
    b.len()
}

/// Skips `$tag$ … $tag$` when `i` opens one (`$1` parameters are not tags).
fn skip_dollar_quote(sql: &str, i: usize) -> Option<usize> {
    let b = sql.as_bytes();
    if word_char_before(b, i) {
        return None;
    }
    let tag_len = b[i + 1..]
        .iter()
        .position(|&c| !(c.is_ascii_alphanumeric() || c == b'_'))?;
    if b.get(i + 1 + tag_len) != Some(&b'$') || b.get(i + 1).is_some_and(u8::is_ascii_digit) {
        return None;
    }
    let tag = &sql[i..i + tag_len + 2];
    let body = i + tag.len();
    Some(
        sql[body..]
            .find(tag)
            .map_or(b.len(), |n| body + n + tag.len()),
    )
}

#[cfg(test)]
mod tests {
    use super::split;

    fn parts(sql: &str) -> Vec<&str> {
        split(sql).into_iter().map(|r| sql[r].trim()).collect()
    }

    #[test]
    fn splits_on_top_level_semicolons_only() {
        let sql = "CREATE TABLE a (x text DEFAULT ';'); -- c;\n\
                   /* x; /* nested; */ */ CREATE TABLE \"b;\" (y int);\n\
                   CREATE FUNCTION f() RETURNS int LANGUAGE sql AS $body$ SELECT 1; $body$;\n\
                   SELECT E'it\\'s;';\n\
                   CREATE FUNCTION g(int) RETURNS int LANGUAGE sql BEGIN ATOMIC SELECT CASE WHEN $1 > 0 THEN 1 END; SELECT 2; END;\n\
                   -- only a comment;\n";
        let p = parts(sql);
        assert_eq!(p.len(), 5, "{p:#?}");
        assert!(p[0].starts_with("CREATE TABLE a"));
        assert_eq!(p[1], "CREATE TABLE \"b;\" (y int);");
        assert!(p[2].ends_with("$body$;"));
        assert_eq!(p[3], "SELECT E'it\\'s;';");
        assert!(p[4].ends_with("SELECT 2; END;"));
    }

    #[test]
    fn last_statement_without_semicolon() {
        assert_eq!(parts("SELECT 1; SELECT 2"), ["SELECT 1;", "SELECT 2"]);
        assert!(parts("  -- nothing\n").is_empty());
    }
}
