//! Reading server-printed SQL text without parsing it: how the server spells
//! a name (`public."Users"`), whether a text mentions a name, and renaming a
//! name inside a text. The model keeps expressions and definitions as text,
//! so these are deliberately conservative approximations.

use crate::model::QualifiedName;

/// Words the server always quotes (`quote_identifier` quotes reserved and
/// type-function-name keywords). Not complete; a missing word only makes a
/// mention search miss, which the conservative callers tolerate.
const QUOTED_KEYWORDS: &[&str] = &[
    "all",
    "analyse",
    "analyze",
    "and",
    "any",
    "array",
    "as",
    "asc",
    "asymmetric",
    "authorization",
    "between",
    "bigint",
    "binary",
    "bit",
    "boolean",
    "both",
    "case",
    "cast",
    "char",
    "character",
    "check",
    "coalesce",
    "collate",
    "collation",
    "column",
    "concurrently",
    "constraint",
    "create",
    "cross",
    "current_catalog",
    "current_date",
    "current_role",
    "current_schema",
    "current_time",
    "current_timestamp",
    "current_user",
    "dec",
    "decimal",
    "default",
    "deferrable",
    "desc",
    "distinct",
    "do",
    "else",
    "end",
    "except",
    "exists",
    "extract",
    "false",
    "fetch",
    "float",
    "for",
    "foreign",
    "freeze",
    "from",
    "full",
    "grant",
    "greatest",
    "group",
    "grouping",
    "having",
    "ilike",
    "in",
    "initially",
    "inner",
    "inout",
    "int",
    "integer",
    "intersect",
    "interval",
    "into",
    "is",
    "isnull",
    "join",
    "lateral",
    "leading",
    "least",
    "left",
    "like",
    "limit",
    "localtime",
    "localtimestamp",
    "national",
    "natural",
    "nchar",
    "none",
    "normalize",
    "not",
    "notnull",
    "null",
    "nullif",
    "numeric",
    "offset",
    "on",
    "only",
    "or",
    "order",
    "out",
    "outer",
    "overlaps",
    "overlay",
    "placing",
    "position",
    "precision",
    "primary",
    "real",
    "references",
    "returning",
    "right",
    "row",
    "select",
    "session_user",
    "setof",
    "similar",
    "smallint",
    "some",
    "substring",
    "symmetric",
    "table",
    "tablesample",
    "then",
    "time",
    "timestamp",
    "to",
    "trailing",
    "treat",
    "trim",
    "true",
    "union",
    "unique",
    "user",
    "using",
    "values",
    "varchar",
    "variadic",
    "verbose",
    "when",
    "where",
    "window",
    "with",
    "xmlattributes",
    "xmlconcat",
    "xmlelement",
    "xmlexists",
    "xmlforest",
    "xmlnamespaces",
    "xmlparse",
    "xmlpi",
    "xmlroot",
    "xmlserialize",
    "xmltable",
];

/// The identifier as the server prints it: bare when it is a plain lower-case
/// word, double-quoted otherwise.
pub fn spell(ident: &str) -> String {
    let plain = ident
        .chars()
        .next()
        .is_some_and(|c| c.is_ascii_lowercase() || c == '_')
        && ident
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_' || c == '$')
        && !QUOTED_KEYWORDS.contains(&ident);
    if plain {
        ident.to_string()
    } else {
        format!("\"{}\"", ident.replace('"', "\"\""))
    }
}

/// `schema.name` as the server prints it in expressions and types.
pub fn spell_qualified(name: &QualifiedName) -> String {
    format!("{}.{}", spell(&name.schema), spell(&name.name))
}

fn is_word_char(c: char) -> bool {
    c.is_alphanumeric() || c == '_' || c == '$'
}

/// Byte ranges of `needle` in `text` outside string literals, at word
/// boundaries (a quoted needle bounds itself).
fn occurrences(text: &str, needle: &str) -> Vec<usize> {
    let mut found = Vec::new();
    if needle.is_empty() {
        return found;
    }
    let bytes = text.as_bytes();
    let mut in_literal = false;
    let mut i = 0;
    while i < bytes.len() {
        let c = bytes[i];
        if c == b'\'' {
            in_literal = !in_literal;
            i += 1;
            continue;
        }
        if !in_literal && text[i..].starts_with(needle) {
            let before_ok = !matches!(
                text[..i].chars().next_back(),
                Some(c) if is_word_char(c) || c == '"'
            );
            // A needle ending in `.` is a schema prefix: anything may follow.
            let after_ok = needle.ends_with('.')
                || !matches!(
                    text[i + needle.len()..].chars().next(),
                    Some(c) if is_word_char(c) || c == '"'
                );
            if before_ok && after_ok {
                found.push(i);
                i += needle.len();
                continue;
            }
        }
        i += text[i..].chars().next().map_or(1, char::len_utf8);
    }
    found
}

/// True when `text` mentions the name (as the server spells it) outside literals.
pub(crate) fn mentions(text: &str, needle: &str) -> bool {
    !occurrences(text, needle).is_empty()
}

/// True when `text` mentions the qualified name.
pub(crate) fn mentions_qualified(text: &str, name: &QualifiedName) -> bool {
    mentions(text, &spell_qualified(name))
}

/// Replaces every mention of `old` by `new` (both already spelled).
pub(crate) fn replace(text: &str, old: &str, new: &str) -> String {
    let hits = occurrences(text, old);
    if hits.is_empty() {
        return text.to_string();
    }
    let mut out = String::with_capacity(text.len());
    let mut last = 0;
    for at in hits {
        out.push_str(&text[last..at]);
        out.push_str(new);
        last = at + old.len();
    }
    out.push_str(&text[last..]);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spells_like_the_server() {
        assert_eq!(spell("users"), "users");
        assert_eq!(spell("Users"), "\"Users\"");
        assert_eq!(spell("user"), "\"user\"");
        assert_eq!(spell("a\"b"), "\"a\"\"b\"");
    }

    #[test]
    fn mentions_respect_words_and_literals() {
        let q = QualifiedName::new("public", "users");
        assert!(mentions_qualified("SELECT u.id FROM public.users u", &q));
        assert!(!mentions_qualified("SELECT 1 FROM public.users_old", &q));
        assert!(!mentions_qualified("SELECT 'public.users'::text", &q));
        assert_eq!(
            replace("(a > 0) AND (ab > a)", "a", "b"),
            "(b > 0) AND (ab > b)"
        );
    }
}
