//! Comparing two schema models, column order aside, and naming the first
//! difference so a failure says what to fix.

use serde_json::Value;
use strata_schema::Schema;

/// `None` when both models describe the same database (column order is not
/// significant: PostgreSQL appends added columns), otherwise the path of the
/// first difference with both values, e.g.
/// `tables[public.users].columns[name].data_type: "text" != "integer"`.
pub fn first_difference(actual: &Schema, expected: &Schema) -> Option<String> {
    let (a, b) = (sorted_columns(actual), sorted_columns(expected));
    if a == b {
        return None;
    }
    let (a, b) = match (serde_json::to_value(&a), serde_json::to_value(&b)) {
        (Ok(a), Ok(b)) => (a, b),
        _ => return Some("models differ (not serializable to locate the difference)".into()),
    };
    Some(diff_value("", &a, &b).unwrap_or_else(|| "models differ but serialize equal".to_string()))
}

fn sorted_columns(schema: &Schema) -> Schema {
    let mut copy = schema.clone();
    for t in &mut copy.tables {
        t.columns.sort_by(|a, b| a.name.cmp(&b.name));
    }
    copy
}

/// A label for an array element: its `name` (plain or qualified) when it has
/// one, so paths read `tables[public.users]` rather than `tables[3]`.
fn element_label(v: &Value, index: usize) -> String {
    match v.get("name") {
        Some(Value::String(s)) => s.clone(),
        Some(Value::Object(o)) => match (o.get("schema"), o.get("name")) {
            (Some(Value::String(s)), Some(Value::String(n))) => format!("{s}.{n}"),
            _ => index.to_string(),
        },
        _ => index.to_string(),
    }
}

fn short(v: &Value) -> String {
    crate::outcome::one_line(&v.to_string())
        .chars()
        .take(160)
        .collect()
}

fn diff_value(path: &str, a: &Value, b: &Value) -> Option<String> {
    if a == b {
        return None;
    }
    match (a, b) {
        (Value::Object(oa), Value::Object(ob)) => {
            let mut keys: Vec<&String> = oa.keys().chain(ob.keys()).collect();
            keys.sort();
            keys.dedup();
            keys.into_iter().find_map(|k| {
                let sub = if path.is_empty() {
                    k.clone()
                } else {
                    format!("{path}.{k}")
                };
                match (oa.get(k), ob.get(k)) {
                    (Some(x), Some(y)) => diff_value(&sub, x, y),
                    (Some(x), None) => Some(format!("{sub}: {} != (absent)", short(x))),
                    (None, Some(y)) => Some(format!("{sub}: (absent) != {}", short(y))),
                    (None, None) => None,
                }
            })
        }
        (Value::Array(xa), Value::Array(xb)) => {
            let la: Vec<String> = xa
                .iter()
                .enumerate()
                .map(|(i, v)| element_label(v, i))
                .collect();
            let lb: Vec<String> = xb
                .iter()
                .enumerate()
                .map(|(i, v)| element_label(v, i))
                .collect();
            // Same element names: descend into the first differing element.
            if la == lb {
                return xa
                    .iter()
                    .zip(xb)
                    .zip(&la)
                    .find_map(|((x, y), l)| diff_value(&format!("{path}[{l}]"), x, y));
            }
            if let Some(l) = la.iter().find(|l| !lb.contains(l)) {
                return Some(format!("{path}[{l}]: present != (absent)"));
            }
            if let Some(l) = lb.iter().find(|l| !la.contains(l)) {
                return Some(format!("{path}[{l}]: (absent) != present"));
            }
            Some(format!("{path}: {} != {}", short(a), short(b)))
        }
        _ => Some(format!("{path}: {} != {}", short(a), short(b))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use strata_schema::{Column, QualifiedName, Table};

    fn column(name: &str, ty: &str) -> Column {
        Column {
            name: name.into(),
            data_type: ty.into(),
            not_null: false,
            default: None,
            identity: None,
            generated: None,
            collation: None,
            comment: None,
            grants: Vec::new(),
        }
    }

    fn schema(columns: Vec<Column>) -> Schema {
        Schema {
            tables: vec![Table::new(QualifiedName::new("public", "users"), columns)],
            ..Schema::default()
        }
    }

    #[test]
    fn column_order_is_not_a_difference() {
        let a = schema(vec![column("a", "text"), column("b", "integer")]);
        let b = schema(vec![column("b", "integer"), column("a", "text")]);
        assert_eq!(first_difference(&a, &b), None);
    }

    #[test]
    fn names_the_first_difference() {
        let a = schema(vec![column("a", "text")]);
        let b = schema(vec![column("a", "integer")]);
        assert_eq!(
            first_difference(&a, &b).unwrap(),
            r#"tables[public.users].columns[a].data_type: "text" != "integer""#
        );
        let c = schema(vec![column("a", "text"), column("b", "text")]);
        assert_eq!(
            first_difference(&a, &c).unwrap(),
            "tables[public.users].columns[b]: (absent) != present"
        );
    }
}
