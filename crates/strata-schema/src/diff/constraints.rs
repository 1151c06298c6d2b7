//! Table constraints of tables on both sides, compared by name: a changed
//! definition is a drop plus an add. Foreign keys run last, because a
//! primary key or unique key that is recreated takes the foreign keys that
//! reference it with it (they are dropped first and added again after).

use super::context::Ctx;
use super::order::Phase;
use super::tables::{common, kept, recreated};
use crate::change::{Change, Classification, ConstraintKind, ObjectRef};
use crate::model::{QualifiedName, Table};

/// Primary keys, unique, check and exclusion constraints.
pub(crate) fn diff(cx: &mut Ctx<'_>) {
    for (from, to) in common(cx) {
        primary_key(cx, from, to);
        uniques(cx, from, to);
        checks(cx, from, to);
        exclusions(cx, from, to);
    }
    // Keys of dropped or recreated tables are gone too.
    for t in &cx.from.tables {
        let gone = !matches!(cx.to.table(&t.name), Some(to) if !recreated(t, to));
        if gone {
            for cols in keys(t) {
                cx.recreated_keys.insert((t.name.clone(), cols));
            }
        }
    }
}

/// Every unique key of a table (sorted column lists).
fn keys(t: &Table) -> Vec<Vec<String>> {
    let mut out: Vec<Vec<String>> = t
        .primary_key
        .iter()
        .map(|p| p.columns.clone())
        .chain(t.uniques.iter().map(|u| u.columns.clone()))
        .chain(
            t.indexes
                .iter()
                .filter(|i| i.unique && i.keys.iter().all(|k| k.is_column))
                .map(|i| i.keys.iter().map(|k| k.expression.clone()).collect()),
        )
        .collect();
    for k in &mut out {
        k.sort();
    }
    out
}

fn sorted(cols: &[String]) -> Vec<String> {
    let mut c = cols.to_vec();
    c.sort();
    c
}

fn uses_recreated(cx: &Ctx<'_>, table: &QualifiedName, cols: &[String]) -> bool {
    cols.iter().any(|c| cx.column_recreated(table, c))
}

fn drop(cx: &mut Ctx<'_>, table: &QualifiedName, name: &str, kind: ConstraintKind) {
    let phase = if kind == ConstraintKind::ForeignKey {
        Phase::DropForeignKeys
    } else {
        Phase::DropConstraintsIndexes
    };
    cx.plan.safe(
        phase,
        Change::DropConstraint {
            table: table.clone(),
            name: name.to_string(),
            constraint: kind,
        },
    );
}

/// Lock note for adding a constraint that builds a unique index.
fn index_lock(table: &QualifiedName, what: &str) -> Classification {
    Classification::safe().with_strong_lock(format!(
        "adding {what} builds an index on {table}, blocking writes to it (fails on duplicates)"
    ))
}

fn primary_key(cx: &mut Ctx<'_>, from: &Table, to: &Table) {
    let name = &to.name;
    let strip = |p: &crate::model::PrimaryKey| {
        let mut p = p.clone();
        p.comment = None;
        p
    };
    let (old, new) = (from.primary_key.as_ref(), to.primary_key.as_ref());
    let same = match (old, new) {
        (Some(a), Some(b)) => strip(a) == strip(b) && !uses_recreated(cx, name, &b.columns),
        (None, None) => true,
        _ => false,
    };
    if !same {
        if let Some(a) = old {
            drop(cx, name, &a.name, ConstraintKind::PrimaryKey);
            cx.recreated_keys.insert((name.clone(), sorted(&a.columns)));
        }
        if let Some(b) = new {
            let mut pk = b.clone();
            pk.comment = None;
            cx.plan.push(
                Phase::AddConstraintsIndexes,
                Change::AddPrimaryKey {
                    table: name.clone(),
                    primary_key: pk,
                },
                index_lock(name, &format!("primary key {}", b.name)),
            );
        }
    }
    if let Some(b) = new {
        let before = old.filter(|_| same).map(|a| &a.comment);
        cx.comment(constraint_ref(name, &b.name), before, &b.comment);
    }
}

fn constraint_ref(table: &QualifiedName, name: &str) -> ObjectRef {
    ObjectRef::Constraint {
        table: table.clone(),
        name: name.to_string(),
    }
}

fn uniques(cx: &mut Ctx<'_>, from: &Table, to: &Table) {
    let name = &to.name;
    for a in &from.uniques {
        let keep = to.uniques.iter().any(|b| same_unique(cx, name, a, b));
        if !keep {
            drop(cx, name, &a.name, ConstraintKind::Unique);
            cx.recreated_keys.insert((name.clone(), sorted(&a.columns)));
        }
    }
    for b in &to.uniques {
        let old = from.uniques.iter().find(|a| same_unique(cx, name, a, b));
        if old.is_none() {
            let mut u = b.clone();
            u.comment = None;
            cx.plan.push(
                Phase::AddConstraintsIndexes,
                Change::AddUnique {
                    table: name.clone(),
                    unique: u,
                },
                index_lock(name, &format!("unique constraint {}", b.name)),
            );
        }
        cx.comment(
            constraint_ref(name, &b.name),
            old.map(|a| &a.comment),
            &b.comment,
        );
    }
}

fn same_unique(
    cx: &Ctx<'_>,
    table: &QualifiedName,
    a: &crate::model::UniqueConstraint,
    b: &crate::model::UniqueConstraint,
) -> bool {
    a.name == b.name
        && a.columns == b.columns
        && a.include == b.include
        && a.nulls_not_distinct == b.nulls_not_distinct
        && a.deferrable == b.deferrable
        && !uses_recreated(cx, table, &b.columns)
        && !uses_recreated(cx, table, &b.include)
}

fn checks(cx: &mut Ctx<'_>, from: &Table, to: &Table) {
    let name = &to.name;
    let same =
        |cx: &Ctx<'_>, a: &crate::model::CheckConstraint, b: &crate::model::CheckConstraint| {
            a.name == b.name
                && a.expression == b.expression
                && a.no_inherit == b.no_inherit
                && a.not_valid == b.not_valid
                && !cx.text_uses_recreated(name, &b.expression)
        };
    for a in &from.checks {
        if !to.checks.iter().any(|b| same(cx, a, b)) {
            drop(cx, name, &a.name, ConstraintKind::Check);
        }
    }
    for b in &to.checks {
        let old = from.checks.iter().find(|a| same(cx, a, b));
        if old.is_none() {
            let mut c = b.clone();
            c.comment = None;
            let class = if b.not_valid {
                Classification::safe()
            } else {
                Classification::safe().with_strong_lock(format!(
                    "adding check {} scans all of {name} under an ACCESS EXCLUSIVE lock (NOT VALID + VALIDATE would not block)",
                    b.name
                ))
            };
            cx.plan.push(
                Phase::AddConstraintsIndexes,
                Change::AddCheck {
                    table: name.clone(),
                    check: c,
                },
                class,
            );
        }
        cx.comment(
            constraint_ref(name, &b.name),
            old.map(|a| &a.comment),
            &b.comment,
        );
    }
}

fn exclusions(cx: &mut Ctx<'_>, from: &Table, to: &Table) {
    let name = &to.name;
    let same = |cx: &Ctx<'_>,
                a: &crate::model::ExclusionConstraint,
                b: &crate::model::ExclusionConstraint| {
        a.name == b.name
            && a.definition == b.definition
            && a.deferrable == b.deferrable
            && !cx.text_uses_recreated(name, &b.definition)
    };
    for a in &from.exclusions {
        if !to.exclusions.iter().any(|b| same(cx, a, b)) {
            drop(cx, name, &a.name, ConstraintKind::Exclusion);
        }
    }
    for b in &to.exclusions {
        let old = from.exclusions.iter().find(|a| same(cx, a, b));
        if old.is_none() {
            let mut x = b.clone();
            x.comment = None;
            cx.plan.push(
                Phase::AddConstraintsIndexes,
                Change::AddExclusion {
                    table: name.clone(),
                    exclusion: x,
                },
                index_lock(name, &format!("exclusion constraint {}", b.name)),
            );
        }
        cx.comment(
            constraint_ref(name, &b.name),
            old.map(|a| &a.comment),
            &b.comment,
        );
    }
}

/// Foreign keys of tables on both sides. Runs after the key and index
/// passes, which record the keys being recreated.
pub(crate) fn foreign_keys(cx: &mut Ctx<'_>) {
    for (from, to) in common(cx) {
        let name = &to.name;
        let same = |cx: &Ctx<'_>, a: &crate::model::ForeignKey, b: &crate::model::ForeignKey| {
            super::compare::same_but_comment(a, b)
                && !uses_recreated(cx, name, &b.columns)
                && !uses_recreated(cx, &b.references, &b.referenced_columns)
                && !cx
                    .recreated_keys
                    .contains(&(b.references.clone(), sorted(&b.referenced_columns)))
        };
        for a in &from.foreign_keys {
            if !to.foreign_keys.iter().any(|b| same(cx, a, b)) {
                drop(cx, name, &a.name, ConstraintKind::ForeignKey);
            }
        }
        for b in &to.foreign_keys {
            let old = from.foreign_keys.iter().find(|a| same(cx, a, b));
            if old.is_none() {
                let mut fk = b.clone();
                fk.comment = None;
                let class = if b.not_valid {
                    Classification::safe()
                } else {
                    let referenced = if kept(cx, &b.references) {
                        format!(" and {}", b.references)
                    } else {
                        String::new()
                    };
                    Classification::safe().with_strong_lock(format!(
                        "adding foreign key {} checks every row of {name}, blocking writes to {name}{referenced} (NOT VALID + VALIDATE would not block)",
                        b.name
                    ))
                };
                cx.plan.push(
                    Phase::AddForeignKeys,
                    Change::AddForeignKey {
                        table: name.clone(),
                        foreign_key: fk,
                    },
                    class,
                );
            }
            cx.comment(
                constraint_ref(name, &b.name),
                old.map(|a| &a.comment),
                &b.comment,
            );
        }
    }
}
