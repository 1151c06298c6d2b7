//! Free-standing sequences. Created before the tables whose defaults use
//! them; ownership (`OWNED BY`) is set once the tables exist; dropped after
//! the columns that used them are gone.

use super::context::Ctx;
use super::order::Phase;
use crate::change::{Change, Classification, ObjectRef};
use crate::model::OwnedBy;

/// True when the owning column does not survive (dropping a column or table
/// drops the sequences it owns).
fn owner_dropped(cx: &Ctx<'_>, owned_by: Option<&OwnedBy>) -> bool {
    owned_by.is_some_and(|o| {
        !super::tables::kept(cx, &o.table)
            || cx
                .to
                .table(&o.table)
                .and_then(|t| t.column(&o.column))
                .is_none()
            || cx.column_recreated(&o.table, &o.column)
    })
}

pub(crate) fn diff(cx: &mut Ctx<'_>) {
    for s in &cx.from.sequences {
        if cx.to.sequence(&s.name).is_none() && !owner_dropped(cx, s.owned_by.as_ref()) {
            cx.plan.safe(
                Phase::DropSequences,
                Change::DropSequence {
                    name: s.name.clone(),
                },
            );
        }
    }
    for s in &cx.to.sequences {
        let old = cx.from.sequence(&s.name);
        match old {
            None => {
                let mut sequence = s.clone();
                sequence.owned_by = None;
                sequence.comment = None;
                sequence.grants.clear();
                cx.plan
                    .safe(Phase::Sequences, Change::CreateSequence { sequence });
            }
            Some(o) if o.data_type != s.data_type || o.options != s.options => {
                let restart = super::columns::restart_needed(&o.options, &s.options);
                let class = match restart {
                    Some(n) => Classification::safe().with_destructive(format!(
                        "restarts sequence {} at {n} (its old values fall outside the new bounds): new values may collide with existing rows",
                        s.name
                    )),
                    None => Classification::safe(),
                };
                cx.plan.push(
                    Phase::Sequences,
                    Change::AlterSequence {
                        name: s.name.clone(),
                        data_type: s.data_type.clone(),
                        options: s.options.clone(),
                        restart,
                    },
                    class,
                )
            }
            Some(_) => {}
        }
        let mut owned_before = old.and_then(|o| o.owned_by.as_ref());
        if old.is_some() && owner_dropped(cx, owned_before) {
            // Release the sequence before its owner goes, or it goes too.
            cx.plan.safe(
                Phase::DropTriggersPolicies,
                Change::SetSequenceOwner {
                    name: s.name.clone(),
                    owned_by: None,
                },
            );
            owned_before = None;
        }
        if owned_before != s.owned_by.as_ref() {
            cx.plan.safe(
                Phase::SequenceOwners,
                Change::SetSequenceOwner {
                    name: s.name.clone(),
                    owned_by: s.owned_by.clone(),
                },
            );
        }
        let target = ObjectRef::Sequence {
            name: s.name.clone(),
        };
        cx.comment(target.clone(), old.map(|o| &o.comment), &s.comment);
        cx.grants(&target, old.map_or(&[], |o| &o.grants), &s.grants);
    }
}
