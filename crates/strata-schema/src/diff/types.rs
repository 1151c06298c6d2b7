//! User-defined types: enums, domains, composite types. They are created
//! before the tables that use them and dropped after.

use super::context::Ctx;
use super::order::{topological, Phase};
use super::text::{mentions_qualified, spell_qualified};
use crate::change::{Change, Classification, EnumColumn, ObjectRef};
use crate::model::{CompositeType, Domain, EnumType, QualifiedName};

pub(crate) fn diff(cx: &mut Ctx<'_>) {
    enums(cx);
    domains(cx);
    composites(cx);
}

fn enums(cx: &mut Ctx<'_>) {
    for e in &cx.from.enums {
        if !cx.to.enums.iter().any(|t| t.name == e.name) {
            cx.touched_types.insert(e.name.clone());
            cx.plan.safe(
                Phase::DropEnums,
                Change::DropEnum {
                    name: e.name.clone(),
                },
            );
        }
    }
    for e in &cx.to.enums {
        let target = ObjectRef::Type {
            name: e.name.clone(),
        };
        let Some(old) = cx.from.enums.iter().find(|f| f.name == e.name) else {
            let mut created = e.clone();
            created.comment = None;
            cx.plan
                .safe(Phase::Types, Change::CreateEnum { enum_type: created });
            cx.comment(target, None, &e.comment);
            continue;
        };
        if old.labels != e.labels {
            if is_subsequence(&old.labels, &e.labels) {
                add_values(cx, old, e);
            } else {
                recreate(cx, old, e);
            }
        }
        cx.comment(target, Some(&old.comment), &e.comment);
    }
}

/// True when `a`'s items appear in `b` in the same relative order.
fn is_subsequence(a: &[String], b: &[String]) -> bool {
    let mut it = b.iter();
    a.iter().all(|x| it.any(|y| y == x))
}

/// New labels, each placed next to a label that exists by the time it runs.
fn add_values(cx: &mut Ctx<'_>, old: &EnumType, new: &EnumType) {
    for (i, label) in new.labels.iter().enumerate() {
        if old.labels.contains(label) {
            continue;
        }
        let (before, after) = if i > 0 {
            (None, Some(new.labels[i - 1].clone()))
        } else {
            (
                new.labels.iter().find(|l| old.labels.contains(l)).cloned(),
                None,
            )
        };
        cx.plan.push(
            Phase::Types,
            Change::AddEnumValue {
                name: new.name.clone(),
                value: label.clone(),
                before,
                after,
            },
            Classification::safe().with_non_transactional(format!(
                "the new value '{label}' of {} cannot be used until the transaction that adds it commits",
                new.name
            )),
        );
    }
}

/// A label removed or the order changed: the type is rebuilt and every
/// column that uses it converted through text.
fn recreate(cx: &mut Ctx<'_>, old: &EnumType, new: &EnumType) {
    let spelled = spell_qualified(&old.name);
    let array = format!("{spelled}[]");
    let mut columns = Vec::new();
    for t in &cx.from.tables {
        // A partition's column follows its parent's type change.
        if t.partition_of.is_some() || cx.to.table(&t.name).is_none() {
            continue;
        }
        let to_table = cx.to.table(&t.name);
        for c in &t.columns {
            let is_array = c.data_type == array;
            if c.data_type != spelled && !is_array {
                continue;
            }
            let Some(to_col) = to_table.and_then(|tt| tt.column(&c.name)) else {
                continue; // dropped before the types change
            };
            let default = (to_col.data_type == c.data_type)
                .then(|| to_col.default.clone())
                .flatten();
            cx.touched_tables.insert(t.name.clone());
            columns.push(EnumColumn {
                table: t.name.clone(),
                column: c.name.clone(),
                array: is_array,
                default,
            });
        }
    }
    cx.touched_types.insert(new.name.clone());
    let removed: Vec<String> = old
        .labels
        .iter()
        .filter(|l| !new.labels.contains(l))
        .cloned()
        .collect();
    let mut class = Classification::safe();
    if !removed.is_empty() {
        let used_by: Vec<String> = columns
            .iter()
            .map(|c| format!("{}.{}", c.table, c.column))
            .collect();
        let where_ = if used_by.is_empty() {
            "no column uses the type".to_string()
        } else {
            format!(
                "rows of {} holding them make the conversion fail",
                used_by.join(", ")
            )
        };
        class = class.with_destructive(format!(
            "removes value(s) {} from {}: {where_}",
            removed
                .iter()
                .map(|l| format!("'{l}'"))
                .collect::<Vec<_>>()
                .join(", "),
            new.name
        ));
    }
    if !columns.is_empty() {
        class = class
            .with_rewrite(format!(
                "rebuilding {} rewrites every table that uses it",
                new.name
            ))
            .with_strong_lock(format!(
                "holds ACCESS EXCLUSIVE locks on the tables that use {} while they are rewritten",
                new.name
            ));
    }
    let mut enum_type = new.clone();
    enum_type.comment = None;
    cx.plan.push(
        Phase::Types,
        Change::RecreateEnum {
            enum_type,
            removed,
            columns,
        },
        class,
    );
}

/// Domains ordered so that a domain over another domain comes after it.
fn domains_in_order(list: &[Domain]) -> Vec<&Domain> {
    topological(list.iter().collect(), |a: &&Domain, b: &&Domain| {
        mentions_qualified(&a.data_type, &b.name)
    })
}

fn domains(cx: &mut Ctx<'_>) {
    let mut dropping = domains_in_order(&cx.from.domains);
    dropping.reverse();
    for d in dropping {
        if !cx.to.domains.iter().any(|t| t.name == d.name) {
            cx.touched_types.insert(d.name.clone());
            cx.plan.safe(
                Phase::DropTypes,
                Change::DropDomain {
                    name: d.name.clone(),
                },
            );
        }
    }
    for d in domains_in_order(&cx.to.domains) {
        let target = ObjectRef::Domain {
            name: d.name.clone(),
        };
        let old = cx
            .from
            .domains
            .iter()
            .find(|f| f.name == d.name)
            .filter(|f| f.data_type == d.data_type && f.collation == d.collation);
        let Some(old) = old else {
            if cx.from.domains.iter().any(|f| f.name == d.name) {
                // The base type changed: PostgreSQL cannot alter it in place.
                cx.touched_types.insert(d.name.clone());
                cx.plan.push(
                    Phase::DropTables,
                    Change::DropDomain {
                        name: d.name.clone(),
                    },
                    Classification::safe().with_destructive(format!(
                        "recreates domain {} to change its type; fails while columns use it",
                        d.name
                    )),
                );
            }
            let mut created = d.clone();
            created.comment = None;
            for c in &mut created.checks {
                c.comment = None;
            }
            cx.plan
                .safe(Phase::Domains, Change::CreateDomain { domain: created });
            cx.comment(target, None, &d.comment);
            for c in &d.checks {
                let target = domain_constraint(&d.name, &c.name);
                cx.comment(target, None, &c.comment);
            }
            continue;
        };
        if old.default != d.default {
            cx.plan.safe(
                Phase::Domains,
                Change::SetDomainDefault {
                    name: d.name.clone(),
                    default: d.default.clone(),
                },
            );
        }
        if old.not_null != d.not_null {
            cx.plan.safe(
                Phase::Domains,
                Change::SetDomainNotNull {
                    name: d.name.clone(),
                    not_null: d.not_null,
                },
            );
        }
        let same = |a: &crate::model::CheckConstraint, b: &crate::model::CheckConstraint| {
            a.name == b.name && a.expression == b.expression && a.not_valid == b.not_valid
        };
        for a in &old.checks {
            if !d.checks.iter().any(|b| same(a, b)) {
                cx.plan.safe(
                    Phase::Domains,
                    Change::DropDomainCheck {
                        name: d.name.clone(),
                        check: a.name.clone(),
                    },
                );
            }
        }
        for b in &d.checks {
            let before = old.checks.iter().find(|a| same(a, b));
            if before.is_none() {
                let mut check = b.clone();
                check.comment = None;
                cx.plan.push(
                    Phase::Domains,
                    Change::AddDomainCheck {
                        name: d.name.clone(),
                        check,
                    },
                    Classification::safe().with_strong_lock(format!(
                        "adding check {} to domain {} checks every column that uses it",
                        b.name, d.name
                    )),
                );
            }
            let target = domain_constraint(&d.name, &b.name);
            cx.comment(target, before.map(|a| &a.comment), &b.comment);
        }
        cx.comment(target, Some(&old.comment), &d.comment);
    }
}

fn domain_constraint(domain: &QualifiedName, name: &str) -> ObjectRef {
    ObjectRef::DomainConstraint {
        domain: domain.clone(),
        name: name.to_string(),
    }
}

/// Composite types ordered so that one used by another comes first.
fn composites_in_order(list: &[CompositeType]) -> Vec<&CompositeType> {
    topological(
        list.iter().collect(),
        |a: &&CompositeType, b: &&CompositeType| {
            a.attributes
                .iter()
                .any(|x| mentions_qualified(&x.data_type, &b.name))
        },
    )
}

fn composites(cx: &mut Ctx<'_>) {
    let mut dropping = composites_in_order(&cx.from.composite_types);
    dropping.reverse();
    for c in dropping {
        match cx.to.composite_types.iter().find(|t| t.name == c.name) {
            None => {
                cx.touched_types.insert(c.name.clone());
                cx.plan.safe(
                    Phase::DropComposites,
                    Change::DropCompositeType {
                        name: c.name.clone(),
                    },
                );
            }
            Some(t) if t.attributes != c.attributes => {
                cx.touched_types.insert(c.name.clone());
                cx.plan.push(
                    Phase::DropTables,
                    Change::DropCompositeType {
                        name: c.name.clone(),
                    },
                    Classification::safe().with_destructive(format!(
                        "recreates composite type {} to change its attributes; fails while columns use it",
                        c.name
                    )),
                );
            }
            Some(_) => {}
        }
    }
    for t in composites_in_order(&cx.to.composite_types) {
        let target = ObjectRef::Type {
            name: t.name.clone(),
        };
        let old = cx.from.composite_types.iter().find(|c| c.name == t.name);
        match old {
            Some(old) if old.attributes == t.attributes => {
                cx.comment(target, Some(&old.comment), &t.comment);
            }
            _ => {
                let mut created = t.clone();
                created.comment = None;
                cx.plan.safe(
                    Phase::Domains,
                    Change::CreateCompositeType { composite: created },
                );
                cx.comment(target, None, &t.comment);
            }
        }
    }
}
