//! Views and materialized views.
//!
//! The model has no dependency information for views, so this pass is
//! deliberately conservative: a view whose definition text mentions a table
//! whose columns are dropped or change type (or a type that is rebuilt or
//! dropped, or another view that is recreated) is dropped before those
//! changes and created again after them. Views are dropped dependents
//! first and created dependencies first, judged by the same text mentions.

use super::context::Ctx;
use super::order::{topological, Phase};
use super::text::mentions_qualified;
use crate::change::{Change, Classification, ObjectRef};
use crate::model::{QualifiedName, View};
use std::collections::BTreeSet;

pub(crate) fn diff(cx: &mut Ctx<'_>) {
    let changed = |a: &View, b: &View| {
        a.definition != b.definition
            || a.materialized != b.materialized
            || a.with != b.with
            || a.with_no_data != b.with_no_data
    };
    // Views that must go: removed, changed, or using something that changes.
    let mut dropped: BTreeSet<QualifiedName> = BTreeSet::new();
    for v in &cx.from.views {
        let gone = match cx.to.view(&v.name) {
            None => true,
            Some(t) => changed(v, t),
        };
        let uses_touched = cx
            .touched_tables
            .iter()
            .chain(cx.touched_types.iter())
            .any(|n| mentions_qualified(&v.definition, n));
        // A table that is dropped or recreated under the same name as a view
        // cannot exist, so table names are the only other thing to check.
        if gone || uses_touched {
            dropped.insert(v.name.clone());
        }
    }
    // Views that use a dropped view go too (until nothing changes).
    loop {
        let more: Vec<QualifiedName> = cx
            .from
            .views
            .iter()
            .filter(|v| !dropped.contains(&v.name))
            .filter(|v| dropped.iter().any(|d| mentions_qualified(&v.definition, d)))
            .map(|v| v.name.clone())
            .collect();
        if more.is_empty() {
            break;
        }
        dropped.extend(more);
    }

    let to_drop: Vec<&View> = cx
        .from
        .views
        .iter()
        .filter(|v| dropped.contains(&v.name))
        .collect();
    // Dependents first: `a` waits for every view that mentions it.
    for v in topological(to_drop, |a, b| mentions_qualified(&b.definition, &a.name)) {
        let recreated = cx.to.view(&v.name).is_some();
        let class = if recreated && v.materialized {
            Classification::safe().with_rewrite(format!(
                "materialized view {} is dropped and created again, recomputing its data",
                v.name
            ))
        } else {
            Classification::safe()
        };
        cx.plan.push(
            Phase::DropViews,
            Change::DropView {
                name: v.name.clone(),
                materialized: v.materialized,
            },
            class,
        );
    }

    let to_create: Vec<&View> = cx
        .to
        .views
        .iter()
        .filter(|v| cx.from.view(&v.name).is_none() || dropped.contains(&v.name))
        .collect();
    // Dependencies first: `a` waits for every view it mentions.
    let ordered = topological(to_create, |a, b| mentions_qualified(&a.definition, &b.name));
    for v in &ordered {
        create_view(cx, v);
    }
    for v in &cx.to.views {
        if let Some(old) = cx.from.view(&v.name).filter(|_| !dropped.contains(&v.name)) {
            alter_view(cx, old, v);
        }
    }
}

fn view_ref(v: &View) -> ObjectRef {
    ObjectRef::View {
        name: v.name.clone(),
        materialized: v.materialized,
    }
}

fn create_view(cx: &mut Ctx<'_>, v: &View) {
    let mut view = v.clone();
    view.indexes.clear();
    view.column_comments.clear();
    view.comment = None;
    view.grants.clear();
    cx.plan
        .safe(Phase::CreateViews, Change::CreateView { view });
    let empty = View {
        indexes: Vec::new(),
        column_comments: Vec::new(),
        comment: None,
        grants: Vec::new(),
        ..v.clone()
    };
    parts(cx, &empty, v, true);
}

fn alter_view(cx: &mut Ctx<'_>, old: &View, v: &View) {
    parts(cx, old, v, false);
}

/// Indexes, comments and grants of a view.
fn parts(cx: &mut Ctx<'_>, old: &View, v: &View, new: bool) {
    let same = super::compare::same_but_comment::<crate::model::Index>;
    for a in &old.indexes {
        if !v.indexes.iter().any(|b| same(a, b)) {
            cx.plan.safe(
                Phase::DropConstraintsIndexes,
                Change::DropIndex {
                    name: QualifiedName::new(&v.name.schema, &a.name),
                },
            );
        }
    }
    for b in &v.indexes {
        let before = old.indexes.iter().find(|a| same(a, b));
        if before.is_none() {
            let mut index = b.clone();
            index.comment = None;
            let class = if new {
                Classification::safe()
            } else {
                super::indexes::create_lock(&v.name, &b.name)
            };
            cx.plan.push(
                Phase::ViewIndexes,
                Change::CreateIndex {
                    table: v.name.clone(),
                    index,
                },
                class,
            );
        }
        let target = ObjectRef::Index {
            name: QualifiedName::new(&v.name.schema, &b.name),
        };
        cx.comment(target, before.map(|a| &a.comment), &b.comment);
    }
    let target = view_ref(v);
    cx.comment(target.clone(), Some(&old.comment), &v.comment);
    cx.grants(&target, &old.grants, &v.grants);
    let comment_of = |view: &View, col: &str| {
        view.column_comments
            .iter()
            .find(|(c, _)| c == col)
            .map(|(_, t)| t.clone())
    };
    let mut cols: Vec<&String> = old
        .column_comments
        .iter()
        .chain(v.column_comments.iter())
        .map(|(c, _)| c)
        .collect();
    cols.sort();
    cols.dedup();
    for col in cols {
        let target = ObjectRef::Column {
            table: v.name.clone(),
            column: col.clone(),
        };
        cx.comment(target, Some(&comment_of(old, col)), &comment_of(v, col));
    }
}
