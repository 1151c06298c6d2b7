//! State shared by the differ's passes: the two schemas, the plan being
//! built, and what earlier passes changed that later passes must react to.

use super::order::{Phase, Plan};
use crate::change::{Change, ObjectRef};
use crate::model::{Grant, QualifiedName, Schema};
use std::collections::BTreeSet;

pub(crate) struct Ctx<'a> {
    /// The source schema with rename hints already applied.
    pub from: &'a Schema,
    pub to: &'a Schema,
    pub plan: Plan,
    /// Tables whose columns are dropped or change type: views that mention
    /// them are dropped first and created again afterwards.
    pub touched_tables: BTreeSet<QualifiedName>,
    /// Types (enums, domains, composites) recreated or dropped: views that
    /// mention them are recreated too.
    pub touched_types: BTreeSet<QualifiedName>,
    /// Columns dropped and added again (e.g. a changed generated expression):
    /// indexes and constraints on them must be created again.
    pub recreated_columns: BTreeSet<(QualifiedName, String)>,
    /// Unique keys (table, sorted columns) dropped or recreated: foreign keys
    /// that reference them must be dropped first and added again after.
    pub recreated_keys: BTreeSet<(QualifiedName, Vec<String>)>,
}

impl<'a> Ctx<'a> {
    pub(crate) fn new(from: &'a Schema, to: &'a Schema, plan: Plan) -> Self {
        Self {
            from,
            to,
            plan,
            touched_tables: BTreeSet::new(),
            touched_types: BTreeSet::new(),
            recreated_columns: BTreeSet::new(),
            recreated_keys: BTreeSet::new(),
        }
    }

    /// True when the column of the table is dropped and added again.
    pub(crate) fn column_recreated(&self, table: &QualifiedName, column: &str) -> bool {
        // Usually empty: skip building the owned key.
        !self.recreated_columns.is_empty()
            && self
                .recreated_columns
                .contains(&(table.clone(), column.to_string()))
    }

    /// True when the text mentions a recreated column of the table.
    pub(crate) fn text_uses_recreated(&self, table: &QualifiedName, text: &str) -> bool {
        self.recreated_columns
            .iter()
            .filter(|(t, _)| t == table)
            .any(|(_, c)| super::text::mentions(text, &super::text::spell(c)))
    }

    /// Emits `COMMENT ON` when the comment differs (`from` is `None` for a
    /// new object, whose missing comment needs no statement).
    pub(crate) fn comment(
        &mut self,
        target: ObjectRef,
        from: Option<&Option<String>>,
        to: &Option<String>,
    ) {
        let before = from.cloned().flatten();
        if before != *to {
            self.plan.safe(
                Phase::Comments,
                Change::Comment {
                    target,
                    comment: to.clone(),
                },
            );
        }
    }

    /// Emits GRANT/REVOKE for each privilege difference.
    pub(crate) fn grants(&mut self, target: &ObjectRef, from: &[Grant], to: &[Grant]) {
        for g in from.iter().filter(|g| !to.contains(g)) {
            self.plan.safe(
                Phase::Grants,
                Change::RevokePrivilege {
                    target: target.clone(),
                    grant: g.clone(),
                },
            );
        }
        for g in to.iter().filter(|g| !from.contains(g)) {
            self.plan.safe(
                Phase::Grants,
                Change::GrantPrivilege {
                    target: target.clone(),
                    grant: g.clone(),
                },
            );
        }
    }
}
