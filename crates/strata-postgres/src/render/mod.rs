//! SQL rendering: differ changes -> PostgreSQL statements (pure, no I/O).
//!
//! Every identifier goes through [`crate::quote::ident`] /
//! [`crate::quote::qualified`], every string literal through
//! [`crate::quote::literal`]; expressions and definitions held by the model
//! (defaults, checks, view queries, function bodies) are server-printed text
//! and are emitted verbatim.
//!
//! ```
//! use strata_schema::{Column, QualifiedName, RenameHints, Schema, Table};
//! let from = Schema::default();
//! let mut to = Schema::default();
//! to.tables.push(Table::new(QualifiedName::new("public", "t"), vec![Column {
//!     name: "id".into(), data_type: "integer".into(), not_null: true, default: None,
//!     identity: None, generated: None, collation: None, comment: None, grants: vec![],
//! }]));
//! let m = strata_postgres::render::plan(&from, &to, &RenameHints::default()).unwrap();
//! assert!(m.up.to_sql().contains("CREATE TABLE \"public\".\"t\""));
//! assert!(m.down.to_sql().contains("DROP TABLE \"public\".\"t\""));
//! ```

mod objects;
mod script;
mod sql;
mod tables;
mod types;

pub use script::{Script, Statement};
pub use types::OLD_ENUM_SUFFIX;

use std::collections::BTreeMap;
use strata_schema::{diff, DiffError, PlannedChange, RenameHints, Schema};

/// The statements for one change, in order.
pub fn render_change(change: &PlannedChange) -> Vec<Statement> {
    let sql = tables::render(&change.change)
        .or_else(|| types::render(&change.change))
        .or_else(|| objects::render(&change.change))
        .unwrap_or_else(|| {
            // A change kind this renderer does not know (a newer differ):
            // fail loudly when applied rather than skip it silently.
            let what = format!("{:?}", change.change).replace('\'', "''");
            vec![format!(
                "DO $strata$ BEGIN RAISE EXCEPTION 'strata cannot render change %', '{what}'; END $strata$"
            )]
        });
    sql.into_iter()
        .map(|s| Statement::new(s, &change.classification))
        .collect()
}

/// Renders changes into a script (an empty list gives an empty script).
pub fn render(changes: &[PlannedChange]) -> Script {
    Script {
        statements: changes.iter().flat_map(render_change).collect(),
    }
}

/// An up script and the down script that undoes it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Migration {
    pub up: Script,
    pub down: Script,
}

/// Diffs both ways and renders: `up` takes `from` to `to`, `down` takes `to`
/// back to `from` (renames reversed). Down statements that recreate
/// something whose data `up` destroys are marked irreversible.
pub fn plan(from: &Schema, to: &Schema, hints: &RenameHints) -> Result<Migration, DiffError> {
    let up_changes = diff(from, to, hints)?;
    let down_changes = diff(to, from, &hints.reversed())?;
    Ok(migration(&up_changes, &down_changes))
}

/// [`plan`] from changes already computed: `up_changes = diff(from, to,
/// hints)` and `down_changes = diff(to, from, hints.reversed())` (a caller
/// that needs the change list too, like `generate`, diffs only once).
pub fn migration(up_changes: &[PlannedChange], down_changes: &[PlannedChange]) -> Migration {
    let destroyed: BTreeMap<String, String> = up_changes
        .iter()
        .filter_map(|c| {
            let why = c.classification.destructive.as_ref()?;
            Some((c.change.destroys()?, why.clone()))
        })
        .collect();
    let mut down = Script::default();
    for c in down_changes {
        let lost = c
            .change
            .recreates()
            .and_then(|k| destroyed.get(&k).map(|w| (k, w)));
        for mut s in render_change(c) {
            if let Some((key, why)) = &lost {
                s.irreversible = Some(format!(
                    "recreates {key}, but the data the up migration destroyed is not restored ({why})"
                ));
            }
            down.statements.push(s);
        }
    }
    Migration {
        up: render(up_changes),
        down,
    }
}
