//! Functions and procedures, identified by name and argument types.
//!
//! A changed body with the same result type is a `CREATE OR REPLACE` of the
//! stored definition; a changed result type (or kind) needs drop + create.
//! New functions run before the tables (defaults and checks may call them)
//! unless their text mentions a table or view created in this plan, in
//! which case they run after the tables and before the views.

use super::context::Ctx;
use super::order::Phase;
use super::text::mentions_qualified;
use crate::change::{Change, ObjectRef};
use crate::model::Function;

pub(crate) fn diff(cx: &mut Ctx<'_>) {
    let same_signature =
        |a: &Function, b: &Function| a.name == b.name && a.arguments == b.arguments;
    let replaceable = |a: &Function, b: &Function| a.returns == b.returns && a.kind == b.kind;
    for f in &cx.from.functions {
        match cx.to.functions.iter().find(|t| same_signature(f, t)) {
            None if uses_dropped_type(cx, f) => cx.plan.safe(Phase::DropTypedFunctions, drop(f)),
            None => cx.plan.safe(Phase::DropFunctions, drop(f)),
            Some(t) if !replaceable(f, t) => cx.plan.safe(Phase::DropReplacedFunctions, drop(f)),
            Some(_) => {}
        }
    }
    for f in &cx.to.functions {
        let old = cx.from.functions.iter().find(|a| same_signature(a, f));
        let phase = if uses_new_relation(cx, f) {
            Phase::LateFunctions
        } else if uses_new_type(cx, f) {
            Phase::TypedFunctions
        } else {
            Phase::EarlyFunctions
        };
        let kept = old.filter(|o| replaceable(o, f));
        match kept {
            Some(o) if o.definition == f.definition => {}
            _ => {
                let mut function = f.clone();
                function.comment = None;
                function.grants.clear();
                cx.plan.safe(
                    phase,
                    Change::CreateFunction {
                        function,
                        replace: kept.is_some(),
                    },
                );
            }
        }
        let target = ObjectRef::Function {
            name: f.name.clone(),
            arguments: f.arguments.clone(),
            function_kind: f.kind.clone(),
        };
        cx.comment(target.clone(), kept.map(|o| &o.comment), &f.comment);
        cx.grants(&target, kept.map_or(&[], |o| &o.grants), &f.grants);
    }
}

fn drop(f: &Function) -> Change {
    Change::DropFunction {
        name: f.name.clone(),
        arguments: f.arguments.clone(),
        function_kind: f.kind.clone(),
    }
}

/// Does the function's text mention a table or view that does not exist yet?
fn uses_new_relation(cx: &Ctx<'_>, f: &Function) -> bool {
    let new_tables = cx
        .to
        .tables
        .iter()
        .map(|t| &t.name)
        .filter(|n| cx.from.table(n).is_none());
    let new_views = cx
        .to
        .views
        .iter()
        .map(|v| &v.name)
        .filter(|n| cx.from.view(n).is_none());
    new_tables
        .chain(new_views)
        .any(|n| mentions_qualified(&f.definition, n))
}

/// Does the function mention a domain or composite type that does not exist yet?
fn uses_new_type(cx: &Ctx<'_>, f: &Function) -> bool {
    let domains = cx.to.domains.iter().map(|d| &d.name);
    let composites = cx.to.composite_types.iter().map(|c| &c.name);
    let text = format!(
        "{} {} {}",
        f.arguments,
        f.returns.as_deref().unwrap_or(""),
        f.definition
    );
    domains
        .chain(composites)
        .filter(|n| {
            !cx.from.domains.iter().any(|d| &d.name == *n)
                && !cx.from.composite_types.iter().any(|c| &c.name == *n)
        })
        .any(|n| mentions_qualified(&text, n))
}

/// Does the function mention a domain or composite type that goes away?
fn uses_dropped_type(cx: &Ctx<'_>, f: &Function) -> bool {
    let domains = cx.from.domains.iter().map(|d| &d.name);
    let composites = cx.from.composite_types.iter().map(|c| &c.name);
    let text = format!(
        "{} {} {}",
        f.arguments,
        f.returns.as_deref().unwrap_or(""),
        f.definition
    );
    domains
        .chain(composites)
        .filter(|n| cx.touched_types.contains(*n))
        .any(|n| mentions_qualified(&text, n))
}
