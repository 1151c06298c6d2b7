//! Rename resolution. Renames come ONLY from hints, never from guessing.
//!
//! Each hint is checked against the *from* schema, emitted as a rename
//! change, and applied to a working copy of *from*, so that the rest of the
//! differ compares objects under their new names. Texts that mention a
//! renamed object (view definitions, defaults, checks) are rewritten in the
//! copy the way the server would print them after the rename.

use super::order::{Phase, Plan};
use super::text::{replace, spell, spell_qualified};
use super::DiffError;
use crate::change::Change;
use crate::diff::hints::{RenameHint, RenameHints, RenameKind};
use crate::model::{QualifiedName, Schema, Table};

/// Checks every hint against `from`, pushes the rename changes and applies
/// them to `from`.
pub(crate) fn apply(
    from: &mut Schema,
    hints: &RenameHints,
    plan: &mut Plan,
) -> Result<(), DiffError> {
    for hint in &hints.hints {
        if !exists(from, hint) {
            return Err(DiffError::UnknownRenameTarget {
                hint: hint.to_string(),
            });
        }
    }
    // Deepest objects first: their paths use the original table/enum/schema names.
    let rank = |k: RenameKind| match k {
        RenameKind::EnumValue | RenameKind::Column | RenameKind::Constraint => 0,
        RenameKind::Index => 1,
        RenameKind::Table | RenameKind::Enum | RenameKind::View => 2,
        RenameKind::Schema => 3,
    };
    let mut ordered: Vec<&RenameHint> = hints.hints.iter().collect();
    ordered.sort_by_key(|h| rank(h.kind));
    for hint in ordered {
        let old = &hint.old;
        let new = hint.new.as_str();
        match hint.kind {
            RenameKind::Schema => {
                rename_schema(from, &old[0], new);
                plan.safe(
                    Phase::Renames,
                    Change::RenameSchema {
                        from: old[0].clone(),
                        to: new.to_string(),
                    },
                );
            }
            RenameKind::Table => {
                let name = QualifiedName::new(&old[0], &old[1]);
                rename_table(from, &name, new);
                plan.safe(
                    Phase::Renames,
                    Change::RenameTable {
                        from: name,
                        to: new.to_string(),
                    },
                );
            }
            RenameKind::View => {
                let name = QualifiedName::new(&old[0], &old[1]);
                let materialized = from.view(&name).is_some_and(|v| v.materialized);
                let new_name = QualifiedName::new(&old[0], new);
                for v in &mut from.views {
                    if v.name == name {
                        v.name = new_name.clone();
                    }
                }
                rewrite_texts(from, &spell_qualified(&name), &spell_qualified(&new_name));
                plan.safe(
                    Phase::Renames,
                    Change::RenameView {
                        from: name,
                        to: new.to_string(),
                        materialized,
                    },
                );
            }
            RenameKind::Enum => {
                let name = QualifiedName::new(&old[0], &old[1]);
                let new_name = QualifiedName::new(&old[0], new);
                for e in &mut from.enums {
                    if e.name == name {
                        e.name = new_name.clone();
                    }
                }
                rewrite_texts(from, &spell_qualified(&name), &spell_qualified(&new_name));
                plan.safe(
                    Phase::Renames,
                    Change::RenameEnum {
                        from: name,
                        to: new.to_string(),
                    },
                );
            }
            RenameKind::EnumValue => {
                let name = QualifiedName::new(&old[0], &old[1]);
                let label = &old[2];
                for e in &mut from.enums {
                    if e.name == name {
                        for l in &mut e.labels {
                            if l == label {
                                *l = new.to_string();
                            }
                        }
                    }
                }
                // `'old'::public.mood` in defaults and expressions.
                let typed =
                    |l: &str| format!("'{}'::{}", l.replace('\'', "''"), spell_qualified(&name));
                let (was, now) = (typed(label), typed(new));
                for_each_text(from, &mut |t| {
                    if t.contains(&was) {
                        *t = t.replace(&was, &now);
                    }
                });
                plan.safe(
                    Phase::Renames,
                    Change::RenameEnumValue {
                        name,
                        from: label.clone(),
                        to: new.to_string(),
                    },
                );
            }
            RenameKind::Column => {
                let table = QualifiedName::new(&old[0], &old[1]);
                rename_column(from, &table, &old[2], new);
                plan.safe(
                    Phase::Renames,
                    Change::RenameColumn {
                        table,
                        from: old[2].clone(),
                        to: new.to_string(),
                    },
                );
            }
            RenameKind::Constraint => {
                let table = QualifiedName::new(&old[0], &old[1]);
                if let Some(t) = from.tables.iter_mut().find(|t| t.name == table) {
                    rename_constraint(t, &old[2], new);
                }
                plan.safe(
                    Phase::Renames,
                    Change::RenameConstraint {
                        table,
                        from: old[2].clone(),
                        to: new.to_string(),
                    },
                );
            }
            RenameKind::Index => {
                let (schema, index) = (&old[0], &old[1]);
                for t in from.tables.iter_mut().filter(|t| &t.name.schema == schema) {
                    for i in t.indexes.iter_mut().filter(|i| &i.name == index) {
                        i.name = new.to_string();
                    }
                }
                for v in from.views.iter_mut().filter(|v| &v.name.schema == schema) {
                    for i in v.indexes.iter_mut().filter(|i| &i.name == index) {
                        i.name = new.to_string();
                    }
                }
                plan.safe(
                    Phase::Renames,
                    Change::RenameIndex {
                        from: QualifiedName::new(schema, index),
                        to: new.to_string(),
                    },
                );
            }
        }
    }
    from.normalize();
    Ok(())
}

/// Does the hint name an object of `from`?
pub(crate) fn exists(from: &Schema, hint: &RenameHint) -> bool {
    let old = &hint.old;
    let qn = || QualifiedName::new(&old[0], &old[1]);
    match hint.kind {
        RenameKind::Schema => {
            from.namespaces.iter().any(|n| n.name == old[0])
                || from.tables.iter().any(|t| t.name.schema == old[0])
        }
        RenameKind::Table => from.table(&qn()).is_some(),
        RenameKind::View => from.view(&qn()).is_some(),
        RenameKind::Enum => from.enums.iter().any(|e| e.name == qn()),
        RenameKind::EnumValue => from
            .enums
            .iter()
            .any(|e| e.name == qn() && e.labels.contains(&old[2])),
        RenameKind::Column => from
            .table(&qn())
            .is_some_and(|t| t.column(&old[2]).is_some()),
        RenameKind::Constraint => from
            .table(&qn())
            .is_some_and(|t| constraint_names(t).any(|n| n == old[2])),
        RenameKind::Index => {
            from.tables
                .iter()
                .filter(|t| t.name.schema == old[0])
                .any(|t| t.indexes.iter().any(|i| i.name == old[1]))
                || from
                    .views
                    .iter()
                    .filter(|v| v.name.schema == old[0])
                    .any(|v| v.indexes.iter().any(|i| i.name == old[1]))
        }
    }
}

fn constraint_names(t: &Table) -> impl Iterator<Item = &str> {
    t.primary_key
        .iter()
        .map(|c| c.name.as_str())
        .chain(t.uniques.iter().map(|c| c.name.as_str()))
        .chain(t.foreign_keys.iter().map(|c| c.name.as_str()))
        .chain(t.checks.iter().map(|c| c.name.as_str()))
        .chain(t.exclusions.iter().map(|c| c.name.as_str()))
}

fn rename_constraint(t: &mut Table, old: &str, new: &str) {
    let set = |n: &mut String| {
        if n == old {
            *n = new.to_string();
        }
    };
    if let Some(pk) = &mut t.primary_key {
        set(&mut pk.name);
    }
    t.uniques.iter_mut().for_each(|c| set(&mut c.name));
    t.foreign_keys.iter_mut().for_each(|c| set(&mut c.name));
    t.checks.iter_mut().for_each(|c| set(&mut c.name));
    t.exclusions.iter_mut().for_each(|c| set(&mut c.name));
}

fn rename_column(from: &mut Schema, table: &QualifiedName, old: &str, new: &str) {
    let set = |n: &mut String| {
        if n == old {
            *n = new.to_string();
        }
    };
    let (was, now) = (spell(old), spell(new));
    for t in &mut from.tables {
        // Foreign keys of any table that reference the renamed column.
        for fk in t
            .foreign_keys
            .iter_mut()
            .filter(|fk| &fk.references == table)
        {
            fk.referenced_columns.iter_mut().for_each(set);
        }
        if &t.name != table {
            continue;
        }
        for c in &mut t.columns {
            set(&mut c.name);
            for e in [&mut c.default, &mut c.generated].into_iter().flatten() {
                *e = replace(e, &was, &now);
            }
        }
        if let Some(pk) = &mut t.primary_key {
            pk.columns
                .iter_mut()
                .chain(pk.include.iter_mut())
                .for_each(set);
        }
        for u in &mut t.uniques {
            u.columns
                .iter_mut()
                .chain(u.include.iter_mut())
                .for_each(set);
        }
        for fk in &mut t.foreign_keys {
            fk.columns.iter_mut().for_each(set);
        }
        for c in &mut t.checks {
            c.expression = replace(&c.expression, &was, &now);
        }
        for x in &mut t.exclusions {
            x.definition = replace(&x.definition, &was, &now);
        }
        for i in &mut t.indexes {
            for k in &mut i.keys {
                if k.is_column {
                    set(&mut k.expression);
                } else {
                    k.expression = replace(&k.expression, &was, &now);
                }
            }
            i.include.iter_mut().for_each(set);
            if let Some(p) = &mut i.predicate {
                *p = replace(p, &was, &now);
            }
        }
        for p in &mut t.policies {
            for e in [&mut p.using, &mut p.with_check].into_iter().flatten() {
                *e = replace(e, &was, &now);
            }
        }
    }
    for s in &mut from.sequences {
        if let Some(o) = &mut s.owned_by {
            if &o.table == table {
                set(&mut o.column);
            }
        }
    }
}

fn rename_table(from: &mut Schema, old: &QualifiedName, new: &str) {
    let new_name = QualifiedName::new(&old.schema, new);
    for t in &mut from.tables {
        if &t.name == old {
            t.name = new_name.clone();
        }
        for fk in &mut t.foreign_keys {
            if &fk.references == old {
                fk.references = new_name.clone();
            }
        }
        if let Some(p) = &mut t.partition_of {
            if &p.parent == old {
                p.parent = new_name.clone();
            }
        }
    }
    for s in &mut from.sequences {
        if let Some(o) = &mut s.owned_by {
            if &o.table == old {
                o.table = new_name.clone();
            }
        }
    }
    rewrite_texts(from, &spell_qualified(old), &spell_qualified(&new_name));
}

fn rename_schema(from: &mut Schema, old: &str, new: &str) {
    for n in &mut from.namespaces {
        if n.name == old {
            n.name = new.to_string();
        }
    }
    for e in &mut from.extensions {
        if e.schema == old {
            e.schema = new.to_string();
        }
    }
    for_each_name(from, &mut |q| {
        if q.schema == old {
            q.schema = new.to_string();
        }
    });
    rewrite_texts(
        from,
        &format!("{}.", spell(old)),
        &format!("{}.", spell(new)),
    );
}

/// Replaces a spelled name in every server-printed text of the schema.
fn rewrite_texts(from: &mut Schema, was: &str, now: &str) {
    for_each_text(from, &mut |t| *t = replace(t, was, now));
}

/// Visits every qualified name in the schema.
fn for_each_name(s: &mut Schema, f: &mut dyn FnMut(&mut QualifiedName)) {
    s.enums.iter_mut().for_each(|e| f(&mut e.name));
    s.domains.iter_mut().for_each(|d| f(&mut d.name));
    s.composite_types.iter_mut().for_each(|c| f(&mut c.name));
    for q in &mut s.sequences {
        f(&mut q.name);
        if let Some(o) = &mut q.owned_by {
            f(&mut o.table);
        }
    }
    for t in &mut s.tables {
        f(&mut t.name);
        t.foreign_keys
            .iter_mut()
            .for_each(|fk| f(&mut fk.references));
        if let Some(p) = &mut t.partition_of {
            f(&mut p.parent);
        }
    }
    s.views.iter_mut().for_each(|v| f(&mut v.name));
    s.functions.iter_mut().for_each(|x| f(&mut x.name));
}

/// Visits every server-printed text (types, expressions, definitions).
pub(crate) fn for_each_text(s: &mut Schema, f: &mut dyn FnMut(&mut String)) {
    for d in &mut s.domains {
        f(&mut d.data_type);
        if let Some(x) = &mut d.default {
            f(x);
        }
        d.checks.iter_mut().for_each(|c| f(&mut c.expression));
    }
    for c in &mut s.composite_types {
        c.attributes.iter_mut().for_each(|a| f(&mut a.data_type));
    }
    for t in &mut s.tables {
        for c in &mut t.columns {
            f(&mut c.data_type);
            for e in [&mut c.default, &mut c.generated].into_iter().flatten() {
                f(e);
            }
        }
        t.checks.iter_mut().for_each(|c| f(&mut c.expression));
        t.exclusions.iter_mut().for_each(|c| f(&mut c.definition));
        for i in &mut t.indexes {
            i.keys
                .iter_mut()
                .filter(|k| !k.is_column)
                .for_each(|k| f(&mut k.expression));
            if let Some(p) = &mut i.predicate {
                f(p);
            }
        }
        t.triggers.iter_mut().for_each(|x| f(&mut x.definition));
        for p in &mut t.policies {
            for e in [&mut p.using, &mut p.with_check].into_iter().flatten() {
                f(e);
            }
        }
        if let Some(p) = &mut t.partition_by {
            f(p);
        }
    }
    for v in &mut s.views {
        f(&mut v.definition);
        for i in &mut v.indexes {
            i.keys
                .iter_mut()
                .filter(|k| !k.is_column)
                .for_each(|k| f(&mut k.expression));
            if let Some(p) = &mut i.predicate {
                f(p);
            }
        }
    }
    for x in &mut s.functions {
        f(&mut x.arguments);
        f(&mut x.definition);
        if let Some(r) = &mut x.returns {
            f(r);
        }
    }
}
