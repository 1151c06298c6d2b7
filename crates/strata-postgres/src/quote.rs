//! The one function that quotes identifiers, and the one that quotes literals.
//!
//! Every identifier Strata renders goes through [`ident`]; values sent at run
//! time are bound as parameters, never spliced. [`literal`] exists only for
//! DDL text that cannot take parameters (comments, enum labels, defaults).

/// Quotes an identifier for PostgreSQL, always: `users` -> `"users"`,
/// `a"b` -> `"a""b"`. Always quoting keeps case and reserved words safe.
///
/// ```
/// assert_eq!(strata_postgres::quote::ident("User"), "\"User\"");
/// assert_eq!(strata_postgres::quote::ident("a\"b"), "\"a\"\"b\"");
/// ```
pub fn ident(name: &str) -> String {
    let mut out = String::with_capacity(name.len() + 2);
    push_ident(&mut out, name);
    out
}

/// [`ident`], appended to `out`: for builders that write a whole statement
/// into one buffer without a string per identifier.
///
/// ```
/// let mut sql = String::from("SELECT ");
/// strata_postgres::quote::push_ident(&mut sql, "id");
/// assert_eq!(sql, "SELECT \"id\"");
/// ```
pub fn push_ident(out: &mut String, name: &str) {
    out.push('"');
    if name.contains('"') {
        for c in name.chars() {
            if c == '"' {
                out.push('"');
            }
            out.push(c);
        }
    } else {
        out.push_str(name);
    }
    out.push('"');
}

/// A schema-qualified identifier: `"schema"."name"`.
pub fn qualified(schema: &str, name: &str) -> String {
    format!("{}.{}", ident(schema), ident(name))
}

/// Quotes a string literal for DDL text: `it's` -> `'it''s'`. Backslashes are
/// safe because `standard_conforming_strings` is on in every supported server;
/// a literal holding one is written as an `E''` string anyway to be explicit.
///
/// ```
/// assert_eq!(strata_postgres::quote::literal("it's"), "'it''s'");
/// ```
pub fn literal(value: &str) -> String {
    let escaped = value.replace('\'', "''");
    if value.contains('\\') {
        format!("E'{}'", escaped.replace('\\', "\\\\"))
    } else {
        format!("'{escaped}'")
    }
}
