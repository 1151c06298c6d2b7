//! Indexes of tables on both sides, compared by name: a changed definition is
//! a drop plus a create. (Indexes of materialized views are handled with the
//! views.)

use super::context::Ctx;
use super::order::Phase;
use super::tables::common;
use crate::change::{Change, Classification, ObjectRef};
use crate::model::{Index, QualifiedName};

pub(crate) fn diff(cx: &mut Ctx<'_>) {
    for (from, to) in common(cx) {
        let table = &to.name;
        let same = |cx: &Ctx<'_>, a: &Index, b: &Index| {
            super::compare::same_but_comment(a, b) && !uses_recreated(cx, table, b)
        };
        for a in &from.indexes {
            if !to.indexes.iter().any(|b| same(cx, a, b)) {
                if a.unique && a.keys.iter().all(|k| k.is_column) {
                    let mut cols: Vec<String> =
                        a.keys.iter().map(|k| k.expression.clone()).collect();
                    cols.sort();
                    cx.recreated_keys.insert((table.clone(), cols));
                }
                cx.plan.safe(
                    Phase::DropConstraintsIndexes,
                    Change::DropIndex {
                        name: QualifiedName::new(&table.schema, &a.name),
                    },
                );
            }
        }
        for b in &to.indexes {
            let old = from.indexes.iter().find(|a| same(cx, a, b));
            if old.is_none() {
                let mut index = b.clone();
                index.comment = None;
                cx.plan.push(
                    Phase::AddConstraintsIndexes,
                    Change::CreateIndex {
                        table: table.clone(),
                        index,
                    },
                    create_lock(table, &b.name),
                );
            }
            let target = ObjectRef::Index {
                name: QualifiedName::new(&table.schema, &b.name),
            };
            cx.comment(target, old.map(|a| &a.comment), &b.comment);
        }
    }
}

/// `CREATE INDEX` on an existing table blocks writes while it builds.
pub(crate) fn create_lock(table: &QualifiedName, index: &str) -> Classification {
    Classification::safe().with_strong_lock(format!(
        "CREATE INDEX {index} blocks writes to {table} while it builds (CREATE INDEX CONCURRENTLY would avoid the lock)"
    ))
}

fn uses_recreated(cx: &Ctx<'_>, table: &QualifiedName, i: &Index) -> bool {
    i.keys.iter().any(|k| {
        if k.is_column {
            cx.column_recreated(table, &k.expression)
        } else {
            cx.text_uses_recreated(table, &k.expression)
        }
    }) || i.include.iter().any(|c| cx.column_recreated(table, c))
        || i.predicate
            .as_deref()
            .is_some_and(|p| cx.text_uses_recreated(table, p))
}
