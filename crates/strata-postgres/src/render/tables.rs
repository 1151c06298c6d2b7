//! SQL for tables, columns, constraints and indexes.

use super::sql::{
    check, column_definition, create_index, exclusion, foreign_key, primary_key, q,
    sequence_options, unique,
};
use crate::quote::ident;
use strata_schema::{Change, Table};

/// The statements of a table/column/constraint/index change, or `None` when
/// the change is of another kind.
pub(crate) fn render(change: &Change) -> Option<Vec<String>> {
    let alter = |t: &strata_schema::QualifiedName, action: String| {
        vec![format!("ALTER TABLE {} {action}", q(t))]
    };
    let col = |c: &str| ident(c);
    Some(match change {
        Change::CreateTable { table } => create_table(table),
        Change::DropTable { name } => vec![format!("DROP TABLE {}", q(name))],
        Change::RenameTable { from, to } => alter(from, format!("RENAME TO {}", ident(to))),
        Change::SetUnlogged { table, unlogged } => alter(
            table,
            if *unlogged {
                "SET UNLOGGED"
            } else {
                "SET LOGGED"
            }
            .to_string(),
        ),
        Change::SetStorageParameters { table, reset, set } => {
            let mut actions = Vec::new();
            if !reset.is_empty() {
                actions.push(format!("RESET ({})", reset.join(", ")));
            }
            if !set.is_empty() {
                actions.push(format!("SET ({})", set.join(", ")));
            }
            alter(table, actions.join(", "))
        }
        Change::AttachPartition {
            table,
            parent,
            bound,
        } => alter(parent, format!("ATTACH PARTITION {} {bound}", q(table))),
        Change::DetachPartition { table, parent } => {
            alter(parent, format!("DETACH PARTITION {}", q(table)))
        }
        Change::AddColumn { table, column } => {
            alter(table, format!("ADD COLUMN {}", column_definition(column)))
        }
        Change::DropColumn { table, column } => {
            alter(table, format!("DROP COLUMN {}", col(column)))
        }
        Change::RenameColumn { table, from, to } => {
            alter(table, format!("RENAME COLUMN {} TO {}", col(from), col(to)))
        }
        Change::AlterColumnType {
            table,
            column,
            data_type,
            collation,
            using_via,
            ..
        } => {
            let collate = collation
                .as_deref()
                .map(|c| format!(" COLLATE {}", super::sql::collation(c)))
                .unwrap_or_default();
            let via = using_via
                .as_deref()
                .map(|v| format!("::{v}"))
                .unwrap_or_default();
            alter(
                table,
                format!(
                    "ALTER COLUMN {c} TYPE {data_type}{collate} USING {c}{via}::{data_type}",
                    c = col(column)
                ),
            )
        }
        Change::SetNotNull { table, column } => {
            alter(table, format!("ALTER COLUMN {} SET NOT NULL", col(column)))
        }
        Change::DropNotNull { table, column } => {
            alter(table, format!("ALTER COLUMN {} DROP NOT NULL", col(column)))
        }
        Change::SetDefault {
            table,
            column,
            default,
        } => alter(
            table,
            format!("ALTER COLUMN {} SET DEFAULT {default}", col(column)),
        ),
        Change::DropDefault { table, column } => {
            alter(table, format!("ALTER COLUMN {} DROP DEFAULT", col(column)))
        }
        Change::AddIdentity {
            table,
            column,
            identity,
        } => alter(
            table,
            format!(
                "ALTER COLUMN {} ADD GENERATED {} AS IDENTITY ({})",
                col(column),
                if identity.always {
                    "ALWAYS"
                } else {
                    "BY DEFAULT"
                },
                sequence_options(&identity.sequence, "")
            ),
        ),
        Change::DropIdentity { table, column } => {
            alter(table, format!("ALTER COLUMN {} DROP IDENTITY", col(column)))
        }
        Change::AlterIdentity {
            table,
            column,
            identity,
            restart,
        } => alter(
            table,
            format!(
                "ALTER COLUMN {} SET GENERATED {} {}{}",
                col(column),
                if identity.always {
                    "ALWAYS"
                } else {
                    "BY DEFAULT"
                },
                sequence_options(&identity.sequence, "SET "),
                restart
                    .map(|n| format!(" RESTART WITH {n}"))
                    .unwrap_or_default()
            ),
        ),
        Change::DropExpression { table, column } => alter(
            table,
            format!("ALTER COLUMN {} DROP EXPRESSION", col(column)),
        ),
        Change::AddPrimaryKey {
            table,
            primary_key: p,
        } => alter(table, format!("ADD {}", primary_key(p))),
        Change::AddUnique { table, unique: u } => alter(table, format!("ADD {}", unique(u))),
        Change::AddForeignKey {
            table,
            foreign_key: f,
        } => alter(table, format!("ADD {}", foreign_key(f))),
        Change::AddCheck { table, check: c } => alter(table, format!("ADD {}", check(c, true))),
        Change::AddExclusion {
            table,
            exclusion: x,
        } => alter(table, format!("ADD {}", exclusion(x))),
        Change::DropConstraint { table, name, .. } => {
            alter(table, format!("DROP CONSTRAINT {}", ident(name)))
        }
        Change::RenameConstraint { table, from, to } => alter(
            table,
            format!("RENAME CONSTRAINT {} TO {}", ident(from), ident(to)),
        ),
        Change::CreateIndex { table, index } => vec![create_index(table, index)],
        Change::DropIndex { name } => vec![format!("DROP INDEX {}", q(name))],
        Change::RenameIndex { from, to } => {
            vec![format!("ALTER INDEX {} RENAME TO {}", q(from), ident(to))]
        }
        _ => return None,
    })
}

/// `CREATE TABLE` with columns and the constraints that live inside it; a
/// partition is created `PARTITION OF` its parent (columns come from it).
fn create_table(t: &Table) -> Vec<String> {
    let mut parts: Vec<String> = Vec::new();
    if t.partition_of.is_none() {
        parts.extend(t.columns.iter().map(column_definition));
    }
    parts.extend(t.primary_key.iter().map(primary_key));
    parts.extend(t.uniques.iter().map(unique));
    parts.extend(
        t.checks
            .iter()
            .filter(|c| !c.not_valid)
            .map(|c| check(c, false)),
    );
    parts.extend(t.exclusions.iter().map(exclusion));
    let body = if parts.is_empty() && t.partition_of.is_some() {
        String::new()
    } else {
        format!(" (\n    {}\n)", parts.join(",\n    "))
    };
    let mut sql = format!(
        "CREATE {}TABLE {}",
        if t.unlogged { "UNLOGGED " } else { "" },
        q(&t.name)
    );
    match &t.partition_of {
        Some(p) => sql.push_str(&format!(" PARTITION OF {}{body} {}", q(&p.parent), p.bound)),
        None => sql.push_str(&body),
    }
    if let Some(by) = &t.partition_by {
        sql.push_str(&format!(" PARTITION BY {by}"));
    }
    if !t.with.is_empty() {
        sql.push_str(&format!(" WITH ({})", t.with.join(", ")));
    }
    let mut out = vec![sql];
    // NOT VALID is accepted only by ALTER TABLE ... ADD.
    for c in t.checks.iter().filter(|c| c.not_valid) {
        out.push(format!("ALTER TABLE {} ADD {}", q(&t.name), check(c, true)));
    }
    out
}
