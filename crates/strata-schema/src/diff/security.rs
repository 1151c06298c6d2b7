//! Triggers, row-level security switches and policies of a table.

use super::context::Ctx;
use super::order::Phase;
use crate::change::{Change, ObjectRef};
use crate::model::{Policy, QualifiedName, Table, Trigger};

/// Everything of this kind on a newly created table.
pub(crate) fn create_all(cx: &mut Ctx<'_>, t: &Table) {
    let empty = Table::new(t.name.clone(), Vec::new());
    alter(cx, &empty, t);
}

/// Differences between two versions of a table.
pub(crate) fn alter(cx: &mut Ctx<'_>, from: &Table, to: &Table) {
    let table = &to.name;
    if from.rls_enabled != to.rls_enabled {
        cx.plan.safe(
            Phase::TriggersPolicies,
            Change::EnableRls {
                table: table.clone(),
                enabled: to.rls_enabled,
            },
        );
    }
    if from.rls_forced != to.rls_forced {
        cx.plan.safe(
            Phase::TriggersPolicies,
            Change::ForceRls {
                table: table.clone(),
                forced: to.rls_forced,
            },
        );
    }
    triggers(cx, table, &from.triggers, &to.triggers);
    policies(cx, table, &from.policies, &to.policies);
}

fn triggers(cx: &mut Ctx<'_>, table: &QualifiedName, from: &[Trigger], to: &[Trigger]) {
    let same_def = |a: &Trigger, b: &Trigger| a.name == b.name && a.definition == b.definition;
    for a in from {
        if !to.iter().any(|b| same_def(a, b)) {
            cx.plan.safe(
                Phase::DropTriggersPolicies,
                Change::DropTrigger {
                    table: table.clone(),
                    name: a.name.clone(),
                },
            );
        }
    }
    for b in to {
        let old = from.iter().find(|a| same_def(a, b));
        if old.is_none() {
            cx.plan.safe(
                Phase::TriggersPolicies,
                Change::CreateTrigger {
                    table: table.clone(),
                    trigger: Trigger {
                        comment: None,
                        enabled: "O".to_string(),
                        ..b.clone()
                    },
                },
            );
        }
        let enabled_before = old.map_or("O", |a| a.enabled.as_str());
        if enabled_before != b.enabled {
            cx.plan.safe(
                Phase::TriggersPolicies,
                Change::SetTriggerEnabled {
                    table: table.clone(),
                    name: b.name.clone(),
                    enabled: b.enabled.clone(),
                },
            );
        }
        let target = ObjectRef::Trigger {
            table: table.clone(),
            name: b.name.clone(),
        };
        cx.comment(target, old.map(|a| &a.comment), &b.comment);
    }
}

fn policies(cx: &mut Ctx<'_>, table: &QualifiedName, from: &[Policy], to: &[Policy]) {
    let same = super::compare::same_but_comment::<Policy>;
    for a in from {
        if !to.iter().any(|b| same(a, b)) {
            cx.plan.safe(
                Phase::DropTriggersPolicies,
                Change::DropPolicy {
                    table: table.clone(),
                    name: a.name.clone(),
                },
            );
        }
    }
    for b in to {
        let old = from.iter().find(|a| same(a, b));
        if old.is_none() {
            cx.plan.safe(
                Phase::TriggersPolicies,
                Change::CreatePolicy {
                    table: table.clone(),
                    policy: Policy {
                        comment: None,
                        ..b.clone()
                    },
                },
            );
        }
        let target = ObjectRef::Policy {
            table: table.clone(),
            name: b.name.clone(),
        };
        cx.comment(target, old.map(|a| &a.comment), &b.comment);
    }
}
