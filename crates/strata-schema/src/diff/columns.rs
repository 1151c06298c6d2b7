//! Columns of tables that exist on both sides: added, dropped, type,
//! nullability, default, identity and generation changes. Column order is
//! ignored (PostgreSQL cannot reorder columns).
//!
//! Partitions are skipped: their columns follow the parent's.

use super::context::Ctx;
use super::order::Phase;
use super::tables::common;
use super::text::spell_qualified;
use crate::change::{Change, Classification};
use crate::model::{Column, QualifiedName, Schema, Table};

pub(crate) fn diff(cx: &mut Ctx<'_>) {
    for (from, to) in common(cx) {
        if to.partition_of.is_some() && from.partition_of.is_some() {
            continue;
        }
        diff_table(cx, from, to);
    }
}

fn diff_table(cx: &mut Ctx<'_>, from: &Table, to: &Table) {
    let name = &to.name;
    for c in &from.columns {
        if to.column(&c.name).is_none() {
            drop_column(cx, name, &c.name);
        }
    }
    for c in &to.columns {
        match from.column(&c.name) {
            None => add_column(cx, name, c),
            Some(old) => alter_column(cx, name, old, c),
        }
    }
}

fn drop_column(cx: &mut Ctx<'_>, table: &QualifiedName, column: &str) {
    cx.touched_tables.insert(table.clone());
    cx.plan.push(
        Phase::DropColumns,
        Change::DropColumn {
            table: table.clone(),
            column: column.to_string(),
        },
        Classification::safe()
            .with_destructive(format!("drops column {table}.{column} and its data")),
    );
}

fn add_column(cx: &mut Ctx<'_>, table: &QualifiedName, c: &Column) {
    let mut column = c.clone();
    column.comment = None;
    column.grants.clear();
    let mut class = Classification::safe();
    if c.generated.is_some() || c.identity.is_some() || c.default.as_deref().is_some_and(volatile) {
        class = class
            .with_rewrite(format!(
                "adding {table}.{} fills every existing row (the table is rewritten)",
                c.name
            ))
            .with_strong_lock(format!(
                "holds an ACCESS EXCLUSIVE lock on {table} while it is rewritten"
            ));
    }
    // Without a value for the existing rows the server refuses the column
    // as soon as the table has one row; say so before it is run.
    if c.not_null && c.default.is_none() && c.identity.is_none() && c.generated.is_none() {
        class = class.with_destructive(format!(
            "adding {table}.{} as NOT NULL without a default fails if {table} has rows: give it a default, or add it nullable, fill it, then SET NOT NULL",
            c.name
        ));
    }
    cx.plan.push(
        Phase::AlterColumns,
        Change::AddColumn {
            table: table.clone(),
            column,
        },
        class,
    );
}

/// Defaults that the server must evaluate once per row when a column is added
/// (a non-volatile default is stored once, without a rewrite).
fn volatile(default: &str) -> bool {
    const VOLATILE: &[&str] = &[
        "nextval(",
        "random(",
        "gen_random_uuid(",
        "uuid_generate_",
        "clock_timestamp(",
        "timeofday(",
        "txid_current(",
        "setseed(",
    ];
    VOLATILE.iter().any(|f| default.contains(f))
}

fn alter_column(cx: &mut Ctx<'_>, table: &QualifiedName, old: &Column, new: &Column) {
    let col = new.name.as_str();
    let key = (table.clone(), col.to_string());

    // A generated column whose expression changes (or a plain column that
    // becomes generated) cannot be altered in place: drop and add it again.
    if new.generated.is_some() && old.generated != new.generated {
        drop_column(cx, table, col);
        cx.recreated_columns.insert(key);
        add_column(cx, table, new);
        return;
    }

    let t = || table.clone();
    let c = || col.to_string();
    let type_changes = old.data_type != new.data_type || old.collation != new.collation;

    if old.identity.is_some() && new.identity.is_none() {
        cx.plan.safe(
            Phase::AlterColumns,
            Change::DropIdentity {
                table: t(),
                column: c(),
            },
        );
    }
    if old.generated.is_some() && new.generated.is_none() {
        cx.plan.safe(
            Phase::AlterColumns,
            Change::DropExpression {
                table: t(),
                column: c(),
            },
        );
    }
    // The old default may not cast to the new type: drop it around the change.
    let default_dropped = type_changes && old.default.is_some();
    if default_dropped {
        cx.plan.safe(
            Phase::AlterColumns,
            Change::DropDefault {
                table: t(),
                column: c(),
            },
        );
    }
    if type_changes {
        cx.touched_tables.insert(table.clone());
        let using_via = cast_via(cx.from, cx.to, &old.data_type, &new.data_type);
        let class = classify_type_change(table, col, &old.data_type, &new.data_type);
        cx.plan.push(
            Phase::AlterColumns,
            Change::AlterColumnType {
                table: t(),
                column: c(),
                from_type: old.data_type.clone(),
                data_type: new.data_type.clone(),
                collation: new.collation.clone(),
                using_via,
            },
            class,
        );
    }
    // Identity and generated columns have no default of their own.
    let old_default = if default_dropped {
        None
    } else {
        old.default.clone()
    };
    let new_default = if new.identity.is_some() || new.generated.is_some() {
        None
    } else {
        new.default.clone()
    };
    if old_default != new_default {
        match new_default {
            Some(default) => cx.plan.safe(
                Phase::AlterColumns,
                Change::SetDefault {
                    table: t(),
                    column: c(),
                    default,
                },
            ),
            None => cx.plan.safe(
                Phase::AlterColumns,
                Change::DropDefault {
                    table: t(),
                    column: c(),
                },
            ),
        }
    }
    if !old.not_null && new.not_null {
        cx.plan.push(
            Phase::AlterColumns,
            Change::SetNotNull {
                table: t(),
                column: c(),
            },
            Classification::safe()
                .with_strong_lock(format!(
                    "scans all of {table} to check {col} has no NULLs, holding an ACCESS EXCLUSIVE lock"
                )),
        );
    } else if old.not_null && !new.not_null {
        cx.plan.safe(
            Phase::AlterColumns,
            Change::DropNotNull {
                table: t(),
                column: c(),
            },
        );
    }
    match (&old.identity, &new.identity) {
        (None, Some(identity)) => cx.plan.push(
            Phase::AlterColumns,
            Change::AddIdentity {
                table: t(),
                column: c(),
                identity: identity.clone(),
            },
            Classification::safe(),
        ),
        (Some(a), Some(b)) if a != b => {
            let restart = restart_needed(&a.sequence, &b.sequence);
            let class = match restart {
                Some(n) => Classification::safe().with_destructive(format!(
                    "restarts the identity of {table}.{col} at {n} (its old values fall outside the new bounds): new values may collide with existing rows"
                )),
                None => Classification::safe(),
            };
            cx.plan.push(
                Phase::AlterColumns,
                Change::AlterIdentity {
                    table: t(),
                    column: c(),
                    identity: b.clone(),
                    restart,
                },
                class,
            )
        }
        _ => {}
    }
}

/// `RESTART WITH` value when the old start is outside the new bounds.
pub(crate) fn restart_needed(
    old: &crate::model::SequenceOptions,
    new: &crate::model::SequenceOptions,
) -> Option<i64> {
    (old.start < new.min_value || old.start > new.max_value).then_some(new.start)
}

/// The enum (by its spelled name) a data type is, or is an array of.
fn enum_of<'s>(schema: &'s Schema, data_type: &str) -> Option<(&'s QualifiedName, bool)> {
    let (base, array) = match data_type.strip_suffix("[]") {
        Some(b) => (b, true),
        None => (data_type, false),
    };
    schema
        .enums
        .iter()
        .find(|e| spell_qualified(&e.name) == base)
        .map(|e| (&e.name, array))
}

/// The type to cast through in `USING col::via::new_type`: text between
/// enums and from an enum to a non-text type (PostgreSQL has no direct cast).
fn cast_via(from: &Schema, to: &Schema, old_type: &str, new_type: &str) -> Option<String> {
    match (enum_of(from, old_type), enum_of(to, new_type)) {
        (Some((_, array)), Some(_)) => Some(if array { "text[]" } else { "text" }.to_string()),
        (Some((_, array)), None) if new_type != "text" && !new_type.starts_with("character") => {
            Some(if array { "text[]" } else { "text" }.to_string())
        }
        _ => None,
    }
}

/// How a type change affects data and the table.
pub(crate) fn classify_type_change(
    table: &QualifiedName,
    col: &str,
    old: &str,
    new: &str,
) -> Classification {
    let what = format!("{table}.{col} from {old} to {new}");
    let mut class = Classification::safe();
    match compare_types(old, new) {
        TypeStep::Relabel => {}
        TypeStep::Widen => {
            class = class
                .with_rewrite(format!("changing {what} rewrites the table"))
                .with_strong_lock(format!(
                    "holds an ACCESS EXCLUSIVE lock on {table} while it is rewritten"
                ));
        }
        TypeStep::MayFail => {
            class = class
                .with_rewrite(format!(
                    "changing {what} rewrites the table and fails if a value does not fit"
                ))
                .with_strong_lock(format!(
                    "holds an ACCESS EXCLUSIVE lock on {table} while it is rewritten"
                ));
        }
        TypeStep::Narrow => {
            class = class
                .with_destructive(format!(
                    "changing {what} may lose data or fail on values that do not fit"
                ))
                .with_rewrite(format!("changing {what} rewrites the table"))
                .with_strong_lock(format!(
                    "holds an ACCESS EXCLUSIVE lock on {table} while it is rewritten"
                ));
        }
    }
    class
}

#[derive(Debug, PartialEq, Eq)]
enum TypeStep {
    /// Binary compatible: no rewrite, no data change.
    Relabel,
    /// Every value fits, but the table is rewritten.
    Widen,
    /// Values may not fit.
    Narrow,
    /// Every value converts exactly or the statement fails: no data is lost.
    MayFail,
}

/// Splits `character varying(255)[]` into base `character varying`, the
/// modifiers `[255]` and the array flag.
fn parse_type(t: &str) -> (String, Vec<i64>, bool) {
    let (t, array) = match t.strip_suffix("[]") {
        Some(b) => (b, true),
        None => (t, false),
    };
    match (t.find('('), t.find(')')) {
        (Some(open), Some(close)) if close > open => {
            let mods = t[open + 1..close]
                .split(',')
                .filter_map(|m| m.trim().parse().ok())
                .collect();
            let base = format!("{}{}", &t[..open], &t[close + 1..]);
            (base.trim().to_string(), mods, array)
        }
        _ => (t.to_string(), Vec::new(), array),
    }
}

fn compare_types(old: &str, new: &str) -> TypeStep {
    let (ob, om, oa) = parse_type(old);
    let (nb, nm, na) = parse_type(new);
    if oa != na {
        return TypeStep::Narrow;
    }
    let text_like = |b: &str| matches!(b, "text" | "character varying");
    // Same base: a modifier change.
    if ob == nb {
        return match (om.as_slice(), nm.as_slice()) {
            (_, []) if text_like(&ob) || ob == "numeric" => TypeStep::Relabel,
            ([a], [b]) if text_like(&ob) && b >= a => TypeStep::Relabel,
            ([p1, s1], [p2, s2]) if ob == "numeric" && s1 == s2 && p2 >= p1 => TypeStep::Relabel,
            ([a], [b]) if b >= a => TypeStep::Widen,
            _ if om == nm => TypeStep::Relabel,
            _ => TypeStep::Narrow,
        };
    }
    if ob == "character varying" && nb == "text" {
        return TypeStep::Relabel;
    }
    if nb == "text" || (nb == "character varying" && nm.is_empty()) {
        return TypeStep::Widen;
    }
    let int_rank = |b: &str| match b {
        "smallint" => Some(1),
        "integer" => Some(2),
        "bigint" => Some(3),
        "numeric" => Some(4),
        _ => None,
    };
    if let (Some(a), Some(b)) = (int_rank(&ob), int_rank(&nb)) {
        if b > a && (nb != "numeric" || nm.is_empty() || nm[0] >= 20) {
            return TypeStep::Widen;
        }
        // An integer never loses digits in a numeric; one too large for the
        // precision makes the statement fail, which loses nothing.
        if b > a && nb == "numeric" {
            return TypeStep::MayFail;
        }
        return TypeStep::Narrow;
    }
    let widening = [
        ("real", "double precision"),
        ("timestamp without time zone", "timestamp with time zone"),
        ("date", "timestamp without time zone"),
        ("date", "timestamp with time zone"),
        ("json", "jsonb"),
        ("jsonb", "json"),
        ("character", "character varying"),
    ];
    if widening.contains(&(ob.as_str(), nb.as_str())) {
        return TypeStep::Widen;
    }
    TypeStep::Narrow
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn type_steps() {
        assert_eq!(
            compare_types("character varying(10)", "character varying(20)"),
            TypeStep::Relabel
        );
        assert_eq!(
            compare_types("character varying(20)", "character varying(10)"),
            TypeStep::Narrow
        );
        assert_eq!(
            compare_types("character varying(20)", "text"),
            TypeStep::Relabel
        );
        assert_eq!(compare_types("integer", "bigint"), TypeStep::Widen);
        assert_eq!(compare_types("bigint", "integer"), TypeStep::Narrow);
        assert_eq!(
            compare_types("numeric(10,2)", "numeric(12,2)"),
            TypeStep::Relabel
        );
        assert_eq!(
            compare_types("numeric(10,2)", "numeric(10,1)"),
            TypeStep::Narrow
        );
        assert_eq!(compare_types("text", "integer"), TypeStep::Narrow);
        assert_eq!(compare_types("integer[]", "integer"), TypeStep::Narrow);
    }
}
