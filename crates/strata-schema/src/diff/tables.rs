//! Tables: created, dropped, and the table-level properties of tables that
//! exist on both sides (logging, storage parameters, partitioning, RLS,
//! comments, grants). Columns, constraints, indexes, triggers and policies
//! have their own passes.

use super::context::Ctx;
use super::order::{topological, Phase};
use crate::change::{Change, Classification, ConstraintKind, ObjectRef};
use crate::model::{QualifiedName, Table};

/// Drops tables that are gone and creates new ones.
pub(crate) fn diff(cx: &mut Ctx<'_>) {
    drop_tables(cx);
    create_tables(cx);
}

/// Alters table-level properties of tables on both sides. Runs after the
/// column pass (it needs to know which columns were recreated).
pub(crate) fn alter_all(cx: &mut Ctx<'_>) {
    for to in cx.to.tables.iter() {
        if let Some(from) = cx.from.table(&to.name) {
            alter_table(cx, from, to);
        }
    }
}

/// A table needs creating when it is new, or when its partitioning key
/// changed (PostgreSQL cannot re-partition a table in place).
pub(crate) fn recreated(from: &Table, to: &Table) -> bool {
    from.partition_by != to.partition_by
}

fn drop_tables(cx: &mut Ctx<'_>) {
    let gone: Vec<&Table> = cx
        .from
        .tables
        .iter()
        .filter(|t| match cx.to.table(&t.name) {
            None => true,
            Some(to) => recreated(t, to),
        })
        .collect();
    // Foreign keys of dropped tables go first, so that the tables can be
    // dropped in any order (also when they reference each other).
    for t in &gone {
        for fk in &t.foreign_keys {
            cx.plan.safe(
                Phase::DropForeignKeys,
                Change::DropConstraint {
                    table: t.name.clone(),
                    name: fk.name.clone(),
                    constraint: ConstraintKind::ForeignKey,
                },
            );
        }
    }
    // Partitions before their parents (dropping a parent drops its partitions).
    let ordered = topological(gone, |a, b| {
        b.partition_of.as_ref().is_some_and(|p| p.parent == a.name)
    });
    for t in ordered {
        cx.touched_tables.insert(t.name.clone());
        cx.plan.push(
            Phase::DropTables,
            Change::DropTable {
                name: t.name.clone(),
            },
            Classification::safe()
                .with_destructive(format!("drops table {} and all its rows", t.name)),
        );
    }
}

fn create_tables(cx: &mut Ctx<'_>) {
    let new: Vec<&Table> = cx
        .to
        .tables
        .iter()
        .filter(|t| match cx.from.table(&t.name) {
            None => true,
            Some(from) => recreated(from, t),
        })
        .collect();
    // Parents before their partitions.
    let ordered = topological(new, |a, b| {
        a.partition_of.as_ref().is_some_and(|p| p.parent == b.name)
    });
    for t in ordered {
        create_table(cx, t);
    }
}

/// Creates a table and everything that hangs off it.
fn create_table(cx: &mut Ctx<'_>, t: &Table) {
    let mut bare = t.clone();
    bare.foreign_keys.clear();
    bare.indexes.clear();
    bare.triggers.clear();
    bare.policies.clear();
    bare.grants.clear();
    bare.comment = None;
    bare.rls_enabled = false;
    bare.rls_forced = false;
    for c in &mut bare.columns {
        c.comment = None;
        c.grants.clear();
    }
    cx.plan
        .safe(Phase::CreateTables, Change::CreateTable { table: bare });
    for i in &t.indexes {
        cx.plan.safe(
            Phase::AddConstraintsIndexes,
            Change::CreateIndex {
                table: t.name.clone(),
                index: i.clone(),
            },
        );
    }
    for fk in &t.foreign_keys {
        cx.plan.safe(
            Phase::AddForeignKeys,
            Change::AddForeignKey {
                table: t.name.clone(),
                foreign_key: fk.clone(),
            },
        );
    }
    super::security::create_all(cx, t);
    comments_and_grants(cx, None, t);
    // Comments on the constraints and indexes created with the table.
    let constraint_comments = t
        .primary_key
        .iter()
        .map(|c| (&c.name, &c.comment))
        .chain(t.uniques.iter().map(|c| (&c.name, &c.comment)))
        .chain(t.foreign_keys.iter().map(|c| (&c.name, &c.comment)))
        .chain(t.checks.iter().map(|c| (&c.name, &c.comment)))
        .chain(t.exclusions.iter().map(|c| (&c.name, &c.comment)));
    for (name, comment) in constraint_comments {
        let target = ObjectRef::Constraint {
            table: t.name.clone(),
            name: name.clone(),
        };
        cx.comment(target, None, comment);
    }
    for i in &t.indexes {
        let target = ObjectRef::Index {
            name: QualifiedName::new(&t.name.schema, &i.name),
        };
        cx.comment(target, None, &i.comment);
    }
}

fn alter_table(cx: &mut Ctx<'_>, from: &Table, to: &Table) {
    if recreated(from, to) {
        return;
    }
    let name = &to.name;
    if from.unlogged != to.unlogged {
        cx.plan.push(
            Phase::AlterTables,
            Change::SetUnlogged {
                table: name.clone(),
                unlogged: to.unlogged,
            },
            Classification::safe()
                .with_rewrite(format!("rewrites table {name} to change its logging"))
                .with_strong_lock(format!(
                    "holds an ACCESS EXCLUSIVE lock on {name} while it is rewritten"
                )),
        );
    }
    if from.with != to.with {
        let reset = from
            .with
            .iter()
            .map(|o| o.split('=').next().unwrap_or(o).to_string())
            .filter(|k| !to.with.iter().any(|o| o.split('=').next() == Some(k)))
            .collect();
        let set = to
            .with
            .iter()
            .filter(|o| !from.with.contains(o))
            .cloned()
            .collect();
        cx.plan.safe(
            Phase::AlterTables,
            Change::SetStorageParameters {
                table: name.clone(),
                reset,
                set,
            },
        );
    }
    if from.partition_of != to.partition_of {
        if let Some(p) = &from.partition_of {
            cx.plan.push(
                Phase::AlterTables,
                Change::DetachPartition {
                    table: name.clone(),
                    parent: p.parent.clone(),
                },
                Classification::safe().with_strong_lock(format!(
                    "holds an ACCESS EXCLUSIVE lock on {} while detaching {name}",
                    p.parent
                )),
            );
        }
        if let Some(p) = &to.partition_of {
            // After the columns are altered, so the table matches its parent.
            cx.plan.push(
                Phase::AddConstraintsIndexes,
                Change::AttachPartition {
                    table: name.clone(),
                    parent: p.parent.clone(),
                    bound: p.bound.clone(),
                },
                Classification::safe().with_strong_lock(format!(
                    "scans {name} to check the partition bound while holding a lock on it"
                )),
            );
        }
    }
    super::security::alter(cx, from, to);
    comments_and_grants(cx, Some(from), to);
}

/// Comments and grants of a table and its columns.
fn comments_and_grants(cx: &mut Ctx<'_>, from: Option<&Table>, to: &Table) {
    let name = &to.name;
    let target = ObjectRef::Table { name: name.clone() };
    cx.comment(target.clone(), from.map(|f| &f.comment), &to.comment);
    cx.grants(&target, from.map_or(&[], |f| &f.grants), &to.grants);
    for c in &to.columns {
        let before = from.and_then(|f| f.column(&c.name));
        // A column recreated (dropped and added) lost its comment and grants.
        let before = before.filter(|_| !cx.column_recreated(name, &c.name));
        // Most columns change neither: skip building their object names.
        if let Some(b) = before {
            if b.comment == c.comment && b.grants == c.grants {
                continue;
            }
        }
        let target = ObjectRef::Column {
            table: name.clone(),
            column: c.name.clone(),
        };
        cx.comment(target.clone(), before.map(|b| &b.comment), &c.comment);
        cx.grants(&target, before.map_or(&[], |b| &b.grants), &c.grants);
    }
}

/// The table of `name` on the *to* side when it is also on the *from* side
/// and not recreated: the tables whose parts are diffed one by one.
pub(crate) fn common<'a>(cx: &Ctx<'a>) -> Vec<(&'a Table, &'a Table)> {
    let (from_schema, to_schema) = (cx.from, cx.to);
    to_schema
        .tables
        .iter()
        .filter_map(|to| {
            from_schema
                .table(&to.name)
                .filter(|from| !recreated(from, to))
                .map(|from| (from, to))
        })
        .collect()
}

/// True when the table exists before and after (not new, not recreated).
pub(crate) fn kept(cx: &Ctx<'_>, name: &QualifiedName) -> bool {
    match (cx.from.table(name), cx.to.table(name)) {
        (Some(f), Some(t)) => !recreated(f, t),
        _ => false,
    }
}
