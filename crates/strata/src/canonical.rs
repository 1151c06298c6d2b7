//! Canonical spellings: what PostgreSQL prints for a type, a literal default,
//! an expression and a generated name. The model keeps server text and the
//! differ compares it as text, so a declaration must produce exactly what
//! introspection reads back, or `diff` would never be empty.

/// Longest identifier PostgreSQL keeps (`NAMEDATALEN - 1` bytes); longer
/// names are silently truncated by the server.
pub const MAX_IDENTIFIER_BYTES: usize = 63;

/// A type as `format_type` prints it: `varchar(255)` -> `character varying(255)`,
/// `timestamptz` -> `timestamp with time zone`, `int4[]` -> `integer[]`,
/// `numeric(10, 2)` -> `numeric(10,2)`. Spellings it does not know (user
/// types, `citext`, ...) are kept as written: write them schema-qualified,
/// e.g. `public.citext`, as introspection reports them.
///
/// ```
/// assert_eq!(strata::canonical::sql_type("VARCHAR(255)"), "character varying(255)");
/// assert_eq!(strata::canonical::sql_type("timestamp(3) with time zone"), "timestamp(3) with time zone");
/// assert_eq!(strata::canonical::sql_type("timestamptz(3)"), "timestamp(3) with time zone");
/// assert_eq!(strata::canonical::sql_type("decimal(10, 2)[]"), "numeric(10,2)[]");
/// ```
pub fn sql_type(written: &str) -> String {
    let written = written.trim();
    let (base, array) = match written.find('[') {
        Some(i) => (written[..i].trim(), "[]"),
        None => (written, ""),
    };
    // Split `name(modifiers) rest`: the modifiers go after the first word
    // group for time types (`timestamp(3) with time zone`).
    let (name, modifiers, rest) = match (base.find('('), base.find(')')) {
        (Some(open), Some(close)) if close > open => {
            let modifiers: String = base[open + 1..close]
                .chars()
                .filter(|c| !c.is_whitespace())
                .collect();
            (
                base[..open].trim(),
                Some(modifiers),
                base[close + 1..].trim(),
            )
        }
        _ => (base, None, ""),
    };
    let lower_name = collapse(&format!("{name} {rest}").to_ascii_lowercase());
    let m = |s: &str| match &modifiers {
        Some(m) => format!("{s}({m})"),
        None => s.to_string(),
    };
    let canonical = match lower_name.as_str() {
        "int" | "int4" | "integer" => "integer".to_string(),
        "int2" | "smallint" => "smallint".to_string(),
        "int8" | "bigint" => "bigint".to_string(),
        "float4" | "real" => "real".to_string(),
        "float8" | "double precision" | "float" => "double precision".to_string(),
        "bool" | "boolean" => "boolean".to_string(),
        "text" => "text".to_string(),
        "varchar" | "character varying" => m("character varying"),
        "char" | "character" | "bpchar" => m("character"),
        "decimal" | "numeric" => m("numeric"),
        "bit varying" | "varbit" => m("bit varying"),
        "timestamp" | "timestamp without time zone" => time_type("timestamp", &modifiers, false),
        "timestamptz" | "timestamp with time zone" => time_type("timestamp", &modifiers, true),
        "time" | "time without time zone" => time_type("time", &modifiers, false),
        "timetz" | "time with time zone" => time_type("time", &modifiers, true),
        _ => {
            // Unknown to us: keep the user's text (with tidy modifiers).
            let keep = if rest.is_empty() {
                m(name)
            } else {
                format!("{} {rest}", m(name))
            };
            return format!("{keep}{array}");
        }
    };
    format!("{canonical}{array}")
}

fn time_type(base: &str, modifiers: &Option<String>, zone: bool) -> String {
    let precision = modifiers
        .as_ref()
        .map(|m| format!("({m})"))
        .unwrap_or_default();
    let zone = if zone { "with" } else { "without" };
    format!("{base}{precision} {zone} time zone")
}

fn collapse(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The type without its modifiers, as the server labels a literal's cast:
/// a `'x'` default of a `character varying(255)` column prints as
/// `'x'::character varying`.
pub fn without_modifiers(data_type: &str) -> String {
    match (data_type.find('('), data_type.find(')')) {
        (Some(open), Some(close)) if close > open => {
            let rest = &data_type[close + 1..];
            format!("{}{rest}", &data_type[..open])
        }
        _ => data_type.to_string(),
    }
}

/// A string literal default as the server prints it: `'it''s'::text`,
/// labelled with the type as `format_type` names it without modifiers
/// (`'x'::character varying`, `'xx'::bpchar` for `character(2)`). On a
/// `numeric` column the server reads the text as a number and prints a
/// decimal one bare (`'1.50'` -> `1.50`). Other values are kept as written:
/// write dates and times as the server prints them (`'2024-01-01 00:00:00'`).
pub fn string_default(value: &str, data_type: &str) -> String {
    let label = cast_label(data_type);
    if label == "numeric"
        && value.starts_with(|c: char| c.is_ascii_digit())
        && value.contains(['.', 'e', 'E'])
    {
        return value.to_string();
    }
    format!("'{}'::{label}", value.replace('\'', "''"))
}

/// The name `format_type` gives a type without its modifiers.
fn cast_label(data_type: &str) -> String {
    let (base, array) = match data_type.strip_suffix("[]") {
        Some(b) => (b, "[]"),
        None => (data_type, ""),
    };
    let bare = without_modifiers(base);
    let label = match bare.as_str() {
        "character" => "bpchar".to_string(),
        "bit" => "\"bit\"".to_string(),
        _ => bare,
    };
    format!("{label}{array}")
}

/// An integer literal default as the server prints it: non-negative values
/// that fit `integer` bare (`5`, the implicit cast to the column type is not
/// shown), others as a labelled string (`'-1'::integer`, `'5000000000'::bigint`).
pub fn integer_default(value: i64) -> String {
    match i32::try_from(value) {
        Ok(v) if v >= 0 => v.to_string(),
        Ok(v) => format!("'{v}'::integer"),
        Err(_) => format!("'{value}'::bigint"),
    }
}

/// A float literal default: the parser reads `1.5` as `numeric`, printed
/// bare when non-negative and labelled otherwise (`'-1.5'::numeric`).
pub fn float_default(value: f64) -> String {
    let mut text = value.to_string();
    if !text.contains(['.', 'e', 'E']) {
        text.push_str(".0");
    }
    if value.is_sign_negative() {
        format!("'{text}'::numeric")
    } else {
        text
    }
}

/// A condition as the server prints it in `CHECK`, `WHERE` and generated
/// columns: wrapped in one pair of parentheses (`a > 0` -> `(a > 0)`).
/// Text already wrapped is kept. Inner parts are the user's to spell as the
/// server does (`(a > 0) AND (b > 0)`, `'x'::text`): we do not parse SQL.
pub fn condition(expression: &str) -> String {
    let e = expression.trim();
    if wrapped(e) {
        e.to_string()
    } else {
        format!("({e})")
    }
}

/// True when the whole text is one parenthesised group, `(a) AND (b)` is not.
fn wrapped(e: &str) -> bool {
    if !e.starts_with('(') || !e.ends_with(')') {
        return false;
    }
    let mut depth = 0i32;
    let mut in_literal = false;
    for (i, c) in e.char_indices() {
        match c {
            '\'' => in_literal = !in_literal,
            '(' if !in_literal => depth += 1,
            ')' if !in_literal => {
                depth -= 1;
                if depth == 0 && i + 1 < e.len() {
                    return false;
                }
            }
            _ => {}
        }
    }
    depth == 0
}

/// A collation name as introspection prints it (`quote_ident` of each
/// part): `C` -> `"C"`, `ucs_basic` -> `ucs_basic`, `public.Mine` ->
/// `public."Mine"`. Text that already holds a double quote is kept.
pub fn collation(name: &str) -> String {
    let name = name.trim();
    if name.contains('"') {
        return name.to_string();
    }
    name.split('.')
        .map(strata_schema::spell)
        .collect::<Vec<_>>()
        .join(".")
}

/// The name PostgreSQL would choose for an object from a table name, column
/// names and a label (`makeObjectName`): `users_email_key`, `users_pkey`,
/// `user_roles_user_id_fkey`, `t_id_seq`. Too long a name is shortened the
/// server's way: the longer of the two parts loses bytes until it fits.
///
/// ```
/// assert_eq!(strata::canonical::object_name("users", &["email"], "key"), "users_email_key");
/// assert_eq!(strata::canonical::object_name("users", &[], "pkey"), "users_pkey");
/// ```
pub fn object_name(table: &str, columns: &[&str], label: &str) -> String {
    let name2 = columns.join("_");
    let mut overhead = label.len() + 1;
    if !name2.is_empty() {
        overhead += 1;
    }
    let available = MAX_IDENTIFIER_BYTES - overhead;
    let mut len1 = table.len();
    let mut len2 = name2.len();
    while len1 + len2 > available {
        if len1 > len2 {
            len1 -= 1;
        } else {
            len2 -= 1;
        }
    }
    let part1 = clip(table, len1);
    let part2 = clip(&name2, len2);
    if part2.is_empty() {
        format!("{part1}_{label}")
    } else {
        format!("{part1}_{part2}_{label}")
    }
}

/// The longest prefix of at most `bytes` bytes that ends on a character boundary.
fn clip(text: &str, mut bytes: usize) -> &str {
    while !text.is_char_boundary(bytes) {
        bytes -= 1;
    }
    &text[..bytes]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn types_are_spelled_like_format_type() {
        assert_eq!(sql_type("varchar"), "character varying");
        assert_eq!(sql_type("varchar(100)[]"), "character varying(100)[]");
        assert_eq!(sql_type("int8"), "bigint");
        assert_eq!(sql_type("timestamptz"), "timestamp with time zone");
        assert_eq!(sql_type("timestamp"), "timestamp without time zone");
        assert_eq!(sql_type("numeric(10, 2)"), "numeric(10,2)");
        assert_eq!(sql_type("public.citext"), "public.citext");
        assert_eq!(sql_type("char(2)"), "character(2)");
    }

    #[test]
    fn literals_are_spelled_like_pg_get_expr() {
        assert_eq!(
            string_default("y'z", "character varying(255)"),
            "'y''z'::character varying"
        );
        assert_eq!(string_default("a", "public.st"), "'a'::public.st");
        assert_eq!(string_default("{}", "text[]"), "'{}'::text[]");
        assert_eq!(string_default("xx", "character(2)"), "'xx'::bpchar");
        assert_eq!(string_default("101", "bit(3)"), "'101'::\"bit\"");
        assert_eq!(string_default("1.50", "numeric(5,2)"), "1.50");
        assert_eq!(string_default("5", "numeric"), "'5'::numeric");
        assert_eq!(integer_default(0), "0");
        assert_eq!(integer_default(-5), "'-5'::integer");
        assert_eq!(integer_default(5_000_000_000), "'5000000000'::bigint");
        assert_eq!(float_default(1.5), "1.5");
        assert_eq!(float_default(-1.5), "'-1.5'::numeric");
    }

    #[test]
    fn collations_are_quoted_like_quote_ident() {
        assert_eq!(collation("C"), "\"C\"");
        assert_eq!(collation("ucs_basic"), "ucs_basic");
        assert_eq!(collation("\"C\""), "\"C\"");
        assert_eq!(collation("und-x-icu"), "\"und-x-icu\"");
    }

    #[test]
    fn conditions_get_one_pair_of_parentheses() {
        assert_eq!(condition("a > 0"), "(a > 0)");
        assert_eq!(condition("(a > 0)"), "(a > 0)");
        assert_eq!(condition("(a > 0) AND (b > 0)"), "((a > 0) AND (b > 0))");
        assert_eq!(condition("(a = ')(')"), "(a = ')(')");
    }

    #[test]
    fn long_names_are_shortened_like_the_server() {
        let table = "a".repeat(40);
        let name = object_name(&table, &["b".repeat(40).as_str()], "key");
        assert_eq!(name.len(), MAX_IDENTIFIER_BYTES);
        assert_eq!(name, format!("{}_{}_key", "a".repeat(29), "b".repeat(29)));
    }
}
