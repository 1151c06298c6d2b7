//! Schemas (namespaces) and extensions: created first, dropped last.

use super::context::Ctx;
use super::order::Phase;
use crate::change::{Change, ObjectRef};
use crate::model::Namespace;

pub(crate) fn diff(cx: &mut Ctx<'_>) {
    for n in &cx.from.namespaces {
        if !cx.to.namespaces.iter().any(|t| t.name == n.name) {
            cx.plan.safe(
                Phase::DropSchemas,
                Change::DropSchema {
                    name: n.name.clone(),
                },
            );
        }
    }
    for n in &cx.to.namespaces {
        let old = cx.from.namespaces.iter().find(|f| f.name == n.name);
        if old.is_none() {
            let mut schema = n.clone();
            schema.comment = None;
            schema.grants.clear();
            cx.plan
                .safe(Phase::CreateSchemas, Change::CreateSchema { schema });
        }
        let target = ObjectRef::Schema {
            name: n.name.clone(),
        };
        cx.comment(target.clone(), old.map(|o| &o.comment), &n.comment);
        let both_stock =
            old.is_some_and(Namespace::has_stock_public_grants) && n.has_stock_public_grants();
        if !both_stock {
            cx.grants(&target, old.map_or(&[], |o| &o.grants), &n.grants);
        }
    }
    for e in &cx.from.extensions {
        if !cx.to.extensions.iter().any(|t| t.name == e.name) {
            cx.plan.safe(
                Phase::DropExtensions,
                Change::DropExtension {
                    name: e.name.clone(),
                },
            );
        }
    }
    for e in &cx.to.extensions {
        let old = cx.from.extensions.iter().find(|f| f.name == e.name);
        match old {
            None => {
                let mut extension = e.clone();
                extension.comment = None;
                cx.plan
                    .safe(Phase::CreateSchemas, Change::CreateExtension { extension });
            }
            Some(o) if o.schema != e.schema => cx.plan.safe(
                Phase::CreateSchemas,
                Change::SetExtensionSchema {
                    name: e.name.clone(),
                    schema: e.schema.clone(),
                },
            ),
            Some(_) => {}
        }
        let target = ObjectRef::Extension {
            name: e.name.clone(),
        };
        cx.comment(target, old.map(|o| &o.comment), &e.comment);
    }
}
