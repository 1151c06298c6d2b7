//! sqldef's rename annotations (`-- @renamed from=old` or `/* @renamed
//! from=old */` in desired.sql) turned into Strata rename hints.
//!
//! Only the plain placements are understood: right after a table, index or
//! enum name in its CREATE statement, at the end of a column or `CONSTRAINT`
//! line, and after an enum label. A hint is kept only when its old object
//! exists in the current model and its new name does not: sqldef ignores a
//! stale annotation (the rename already happened), and so must we. The end
//! state does not depend on hints (without them a rename is drop + add), so
//! a placement we do not understand costs only the rename path's coverage.

use strata_schema::{RenameHint, RenameHints, RenameKind, Schema};

const MARKER: &str = "@renamed from=";

/// The hints the annotations in `desired_sql` ask for, checked against the
/// models of both states.
pub fn hints_from_sql(desired_sql: &str, current: &Schema, desired: &Schema) -> RenameHints {
    let mut hints = Vec::new();
    let mut statement = String::new();
    for line in desired_sql.lines() {
        if let Some(at) = line.find(MARKER) {
            let old = first_ident(&line[at + MARKER.len()..]).map(|(n, _)| n);
            let before = strip_comment_opener(&line[..at]);
            if let Some(old) = old {
                let context = format!("{statement}{before}");
                if let Some(hint) = hint_for(&context, before, old, current, desired, &hints) {
                    if !hints.contains(&hint) {
                        hints.push(hint);
                    }
                }
            }
        }
        statement.push_str(&strip_line_comment(line));
        statement.push('\n');
        if line.trim_end().ends_with(';') {
            statement.clear();
        }
    }
    RenameHints::new(hints)
}

fn hint_for(
    context: &str,
    line_before: &str,
    old: String,
    current: &Schema,
    desired: &Schema,
    earlier: &[RenameHint],
) -> Option<RenameHint> {
    // A table renamed by an earlier hint is found in `current` by its old name.
    let current_name = |table: &strata_schema::QualifiedName| {
        earlier
            .iter()
            .find(|h| {
                h.kind == RenameKind::Table && h.old[0] == table.schema && h.new == table.name
            })
            .map_or_else(
                || table.clone(),
                |h| strata_schema::QualifiedName::new(&h.old[0], &h.old[1]),
            )
    };
    let words = context.split_whitespace().collect::<Vec<_>>().join(" ");
    let upper = words.to_ascii_uppercase();
    // The annotation directly follows `CREATE TABLE name [(]`.
    if let Some(rest) = strip_prefix_ci(&words, "CREATE TABLE ") {
        let (new, tail) = first_ident(rest)?;
        let tail = tail.trim();
        if tail.is_empty() || tail == "(" {
            let table = find_table(desired, &new)?;
            return table_hint(RenameKind::Table, &table.schema, old, new, current);
        }
        // Otherwise: inside the table body, a column or constraint line.
        let line = line_before.trim().trim_end_matches(',').trim();
        let table = find_table(desired, &new)?;
        if let Some(rest) = strip_prefix_ci(line, "CONSTRAINT ") {
            let (name, _) = first_ident(rest)?;
            let table = current_name(&table);
            let t = current.table(&table)?;
            let exists = |n: &str| {
                t.primary_key.as_ref().is_some_and(|p| p.name == n)
                    || t.uniques.iter().any(|u| u.name == n)
                    || t.foreign_keys.iter().any(|f| f.name == n)
                    || t.checks.iter().any(|c| c.name == n)
                    || t.exclusions.iter().any(|x| x.name == n)
            };
            return (exists(&old) && !exists(&name)).then(|| RenameHint {
                kind: RenameKind::Constraint,
                old: vec![table.schema.clone(), table.name.clone(), old],
                new: name,
            });
        }
        let (column, _) = first_ident(line)?;
        let table = current_name(&table);
        let t = current.table(&table)?;
        return (t.column(&old).is_some() && t.column(&column).is_none()).then(|| RenameHint {
            kind: RenameKind::Column,
            old: vec![table.schema.clone(), table.name.clone(), old],
            new: column,
        });
    }
    if upper.starts_with("CREATE INDEX ") || upper.starts_with("CREATE UNIQUE INDEX ") {
        let rest = &words[words.to_ascii_uppercase().find("INDEX ")? + 6..];
        let (new, tail) = first_ident(rest)?;
        if !tail.trim().is_empty() {
            return None;
        }
        let schema = desired
            .tables
            .iter()
            .find(|t| t.indexes.iter().any(|i| i.name == new))?
            .name
            .schema
            .clone();
        let exists = |n: &str| {
            current
                .tables
                .iter()
                .any(|t| t.name.schema == schema && t.indexes.iter().any(|i| i.name == n))
        };
        return (exists(&old) && !exists(&new)).then(|| RenameHint {
            kind: RenameKind::Index,
            old: vec![schema.clone(), old],
            new,
        });
    }
    if let Some(rest) = strip_prefix_ci(&words, "CREATE TYPE ") {
        let (qualified, tail) = first_qualified(rest)?;
        let (schema, new) = split_qualified(qualified);
        let tail = tail.trim();
        let find = |s: &Schema, n: &str| {
            s.enums
                .iter()
                .any(|e| e.name.schema == schema && e.name.name == n)
        };
        if tail.is_empty() {
            return (find(current, &old) && !find(current, &new)).then(|| RenameHint {
                kind: RenameKind::Enum,
                old: vec![schema.clone(), old],
                new,
            });
        }
        // An annotated label inside `AS ENUM (...)`.
        let label_line = line_before.trim().trim_end_matches(',').trim();
        let label = label_line
            .strip_prefix('\'')?
            .strip_suffix('\'')?
            .replace("''", "'");
        let enum_type = current.enums.iter().find(|e| {
            e.name.schema == schema
                && (e.name.name == new || desired.enums.iter().all(|d| d.name != e.name))
        })?;
        return (enum_type.labels.contains(&old) && !enum_type.labels.contains(&label)).then(
            || RenameHint {
                kind: RenameKind::EnumValue,
                old: vec![schema.clone(), enum_type.name.name.clone(), old],
                new: label,
            },
        );
    }
    None
}

fn table_hint(
    kind: RenameKind,
    schema: &str,
    old: String,
    new: String,
    current: &Schema,
) -> Option<RenameHint> {
    let exists = |n: &str| {
        current
            .tables
            .iter()
            .any(|t| t.name.schema == schema && t.name.name == n)
    };
    (exists(&old) && !exists(&new)).then(|| RenameHint {
        kind,
        old: vec![schema.to_string(), old],
        new,
    })
}

/// The desired table called `name` (qualified or not; unqualified prefers `public`).
fn find_table(desired: &Schema, name: &str) -> Option<strata_schema::QualifiedName> {
    desired
        .tables
        .iter()
        .filter(|t| t.name.name == name || t.name.to_string() == name)
        .min_by_key(|t| t.name.schema != "public")
        .map(|t| t.name.clone())
}

fn split_qualified(parts: Vec<String>) -> (String, String) {
    match parts.as_slice() {
        [schema, name] => (schema.clone(), name.clone()),
        [name] => ("public".into(), name.clone()),
        _ => (String::new(), String::new()),
    }
}

fn strip_prefix_ci<'a>(text: &'a str, prefix: &str) -> Option<&'a str> {
    let head = text.get(..prefix.len())?;
    head.eq_ignore_ascii_case(prefix)
        .then(|| &text[prefix.len()..])
}

fn strip_comment_opener(text: &str) -> &str {
    let t = text.trim_end();
    t.strip_suffix("--")
        .or_else(|| t.strip_suffix("/*"))
        .unwrap_or(t)
}

/// The line without a trailing `--` comment or `/* */` comments (quotes are
/// not considered: annotation lines in the corpus have none before them).
fn strip_line_comment(line: &str) -> String {
    let mut out = line.split("--").next().unwrap_or("").to_string();
    while let (Some(a), Some(b)) = (out.find("/*"), out.find("*/")) {
        if b < a {
            break;
        }
        out.replace_range(a..b + 2, " ");
    }
    out
}

/// The first identifier in `text` (quoted kept as is, unquoted folded to
/// lower case) and the rest; a qualified name yields its last part.
fn first_ident(text: &str) -> Option<(String, &str)> {
    let (parts, rest) = first_qualified(text)?;
    parts.last().cloned().map(|n| (n, rest))
}

/// A possibly qualified identifier: `a`, `"A"`, `s.a`, `"s"."A b"`.
fn first_qualified(text: &str) -> Option<(Vec<String>, &str)> {
    let mut rest = text.trim_start();
    let mut parts = Vec::new();
    loop {
        let (part, after) = one_ident(rest)?;
        parts.push(part);
        rest = after;
        match rest.strip_prefix('.') {
            Some(r) => rest = r,
            None => return Some((parts, rest)),
        }
    }
}

fn one_ident(text: &str) -> Option<(String, &str)> {
    if let Some(body) = text.strip_prefix('"') {
        let mut name = String::new();
        let mut chars = body.char_indices().peekable();
        while let Some((i, c)) = chars.next() {
            if c == '"' {
                if chars.peek().map(|(_, n)| *n) == Some('"') {
                    name.push('"');
                    chars.next();
                } else {
                    return Some((name, &body[i + 1..]));
                }
            } else {
                name.push(c);
            }
        }
        return None;
    }
    let end = text
        .find(|c: char| !(c.is_alphanumeric() || c == '_' || c == '$'))
        .unwrap_or(text.len());
    (end > 0).then(|| (text[..end].to_lowercase(), &text[end..]))
}

#[cfg(test)]
mod tests {
    use super::*;
    use strata_schema::{Column, EnumType, Index, IndexKey, QualifiedName, Table};

    fn col(name: &str) -> Column {
        Column {
            name: name.into(),
            data_type: "text".into(),
            not_null: false,
            default: None,
            identity: None,
            generated: None,
            collation: None,
            comment: None,
            grants: Vec::new(),
        }
    }

    fn index(name: &str) -> Index {
        Index {
            name: name.into(),
            unique: false,
            method: "btree".into(),
            keys: vec![IndexKey {
                expression: "email".into(),
                is_column: true,
                collation: None,
                opclass: None,
                descending: false,
                nulls_first: None,
            }],
            include: Vec::new(),
            predicate: None,
            nulls_not_distinct: false,
            with: Vec::new(),
            comment: None,
        }
    }

    fn schema(
        table: &str,
        columns: &[&str],
        idx: &str,
        enum_name: &str,
        labels: &[&str],
    ) -> Schema {
        let mut t = Table::new(
            QualifiedName::new("public", table),
            columns.iter().map(|c| col(c)).collect(),
        );
        t.indexes.push(index(idx));
        Schema {
            tables: vec![t],
            enums: vec![EnumType {
                name: QualifiedName::new("public", enum_name),
                labels: labels.iter().map(|l| l.to_string()).collect(),
                comment: None,
            }],
            ..Schema::default()
        }
    }

    #[test]
    fn reads_table_column_index_enum_and_label_renames() {
        let current = schema(
            "old_users",
            &["id", "UserName"],
            "idx_email",
            "order_state",
            &["pending", "done"],
        );
        let desired = schema(
            "users",
            &["id", "username"],
            "email_idx",
            "order_status",
            &["waiting", "done"],
        );
        let sql = r#"
CREATE TABLE users ( -- @renamed from=old_users
  id integer,
  username text -- @renamed from="UserName"
);
CREATE INDEX email_idx /* @renamed from=idx_email */ ON users (email);
CREATE TYPE order_status /* @renamed from=order_state */ AS ENUM (
  'waiting' /* @renamed from=pending */,
  'done'
);
"#;
        let hints: Vec<String> = hints_from_sql(sql, &current, &desired)
            .hints
            .iter()
            .map(ToString::to_string)
            .collect();
        assert_eq!(
            hints,
            [
                "table:public.old_users=users",
                "column:public.old_users.UserName=username",
                "index:public.idx_email=email_idx",
                "enum:public.order_state=order_status",
                "enum_value:public.order_state.pending=waiting",
            ]
        );
    }

    #[test]
    fn stale_annotations_are_ignored() {
        let both = schema("users", &["id", "user_name"], "i", "e", &["a"]);
        let sql = "CREATE TABLE users (\n  user_name text, -- @renamed from=username\n);";
        assert!(hints_from_sql(sql, &both, &both).hints.is_empty());
    }

    #[test]
    fn identifiers_fold_unless_quoted() {
        assert_eq!(first_ident("UserName text").unwrap().0, "username");
        assert_eq!(first_ident("\"UserName\" */").unwrap().0, "UserName");
        assert_eq!(first_ident("\"a \"\"b\"\"\"").unwrap().0, "a \"b\"");
        assert_eq!(
            first_qualified("myschema.item_status AS").unwrap().0,
            ["myschema", "item_status"]
        );
    }
}
