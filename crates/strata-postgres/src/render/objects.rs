//! SQL for views, functions, triggers, row-level security, comments and
//! privileges.

use super::sql::{literal_or_null, q, role};
use crate::quote::ident;
use strata_schema::{Change, Grant, ObjectRef};

pub(crate) fn render(change: &Change) -> Option<Vec<String>> {
    Some(match change {
        Change::CreateView { view } => {
            let kind = if view.materialized {
                "MATERIALIZED VIEW"
            } else {
                "VIEW"
            };
            let with = if view.with.is_empty() {
                String::new()
            } else {
                format!(" WITH ({})", view.with.join(", "))
            };
            let body = view.definition.trim().trim_end_matches(';').trim_end();
            let no_data = if view.materialized && view.with_no_data {
                " WITH NO DATA"
            } else {
                ""
            };
            vec![format!(
                "CREATE {kind} {}{with} AS\n{body}{no_data}",
                q(&view.name)
            )]
        }
        Change::DropView { name, materialized } => vec![format!(
            "DROP {}VIEW {}",
            if *materialized { "MATERIALIZED " } else { "" },
            q(name)
        )],
        Change::RenameView {
            from,
            to,
            materialized,
        } => vec![format!(
            "ALTER {}VIEW {} RENAME TO {}",
            if *materialized { "MATERIALIZED " } else { "" },
            q(from),
            ident(to)
        )],
        // The stored definition is a complete CREATE OR REPLACE statement.
        Change::CreateFunction { function, .. } => vec![function
            .definition
            .trim_end()
            .trim_end_matches(';')
            .to_string()],
        Change::DropFunction {
            name,
            arguments,
            function_kind,
        } => vec![format!(
            "DROP {} {}({arguments})",
            routine_keyword(function_kind),
            q(name)
        )],
        Change::CreateTrigger { trigger, .. } => {
            vec![trigger
                .definition
                .trim_end()
                .trim_end_matches(';')
                .to_string()]
        }
        Change::DropTrigger { table, name } => {
            vec![format!("DROP TRIGGER {} ON {}", ident(name), q(table))]
        }
        Change::SetTriggerEnabled {
            table,
            name,
            enabled,
        } => {
            let action = match enabled.as_str() {
                "D" => "DISABLE TRIGGER",
                "R" => "ENABLE REPLICA TRIGGER",
                "A" => "ENABLE ALWAYS TRIGGER",
                _ => "ENABLE TRIGGER",
            };
            vec![format!("ALTER TABLE {} {action} {}", q(table), ident(name))]
        }
        Change::CreatePolicy { table, policy } => {
            let mut s = format!("CREATE POLICY {} ON {}", ident(&policy.name), q(table));
            if !policy.permissive {
                s.push_str(" AS RESTRICTIVE");
            }
            s.push_str(&format!(" FOR {}", policy.command));
            if !policy.roles.is_empty() {
                let roles: Vec<String> = policy.roles.iter().map(|r| role(r)).collect();
                s.push_str(&format!(" TO {}", roles.join(", ")));
            }
            if let Some(u) = &policy.using {
                s.push_str(&format!(" USING ({u})"));
            }
            if let Some(c) = &policy.with_check {
                s.push_str(&format!(" WITH CHECK ({c})"));
            }
            vec![s]
        }
        Change::DropPolicy { table, name } => {
            vec![format!("DROP POLICY {} ON {}", ident(name), q(table))]
        }
        Change::EnableRls { table, enabled } => vec![format!(
            "ALTER TABLE {} {} ROW LEVEL SECURITY",
            q(table),
            if *enabled { "ENABLE" } else { "DISABLE" }
        )],
        Change::ForceRls { table, forced } => vec![format!(
            "ALTER TABLE {} {} ROW LEVEL SECURITY",
            q(table),
            if *forced { "FORCE" } else { "NO FORCE" }
        )],
        Change::Comment { target, comment } => vec![format!(
            "COMMENT ON {} IS {}",
            comment_target(target),
            literal_or_null(comment)
        )],
        Change::GrantPrivilege { target, grant } => vec![grant_sql(target, grant, true)],
        Change::RevokePrivilege { target, grant } => vec![grant_sql(target, grant, false)],
        _ => return None,
    })
}

fn routine_keyword(kind: &str) -> &'static str {
    if kind.eq_ignore_ascii_case("procedure") {
        "PROCEDURE"
    } else {
        "FUNCTION"
    }
}

/// The object part of `COMMENT ON ...`.
fn comment_target(t: &ObjectRef) -> String {
    match t {
        ObjectRef::Schema { name } => format!("SCHEMA {}", ident(name)),
        ObjectRef::Extension { name } => format!("EXTENSION {}", ident(name)),
        ObjectRef::Table { name } => format!("TABLE {}", q(name)),
        ObjectRef::Column { table, column } => format!("COLUMN {}.{}", q(table), ident(column)),
        ObjectRef::View { name, materialized } => format!(
            "{}VIEW {}",
            if *materialized { "MATERIALIZED " } else { "" },
            q(name)
        ),
        ObjectRef::Sequence { name } => format!("SEQUENCE {}", q(name)),
        ObjectRef::Type { name } => format!("TYPE {}", q(name)),
        ObjectRef::Domain { name } => format!("DOMAIN {}", q(name)),
        ObjectRef::Index { name } => format!("INDEX {}", q(name)),
        ObjectRef::Constraint { table, name } => {
            format!("CONSTRAINT {} ON {}", ident(name), q(table))
        }
        ObjectRef::DomainConstraint { domain, name } => {
            format!("CONSTRAINT {} ON DOMAIN {}", ident(name), q(domain))
        }
        ObjectRef::Function {
            name,
            arguments,
            function_kind,
        } => format!(
            "{} {}({arguments})",
            routine_keyword(function_kind),
            q(name)
        ),
        ObjectRef::Trigger { table, name } => format!("TRIGGER {} ON {}", ident(name), q(table)),
        ObjectRef::Policy { table, name } => format!("POLICY {} ON {}", ident(name), q(table)),
        // Future object kinds: comment on the object by its display name.
        #[allow(unreachable_patterns)]
        other => other.to_string(),
    }
}

/// `GRANT priv [(col)] ON object TO role [WITH GRANT OPTION]` or the REVOKE.
fn grant_sql(target: &ObjectRef, g: &Grant, grant: bool) -> String {
    let (privilege, object) = match target {
        ObjectRef::Column { table, column } => (
            format!("{} ({})", g.privilege, ident(column)),
            format!("TABLE {}", q(table)),
        ),
        ObjectRef::Schema { name } => (g.privilege.clone(), format!("SCHEMA {}", ident(name))),
        ObjectRef::Table { name } | ObjectRef::View { name, .. } => {
            (g.privilege.clone(), format!("TABLE {}", q(name)))
        }
        ObjectRef::Sequence { name } => (g.privilege.clone(), format!("SEQUENCE {}", q(name))),
        ObjectRef::Type { name } => (g.privilege.clone(), format!("TYPE {}", q(name))),
        ObjectRef::Domain { name } => (g.privilege.clone(), format!("DOMAIN {}", q(name))),
        ObjectRef::Function {
            name,
            arguments,
            function_kind,
        } => (
            g.privilege.clone(),
            format!(
                "{} {}({arguments})",
                routine_keyword(function_kind),
                q(name)
            ),
        ),
        other => (g.privilege.clone(), comment_target(other)),
    };
    if grant {
        format!(
            "GRANT {privilege} ON {object} TO {}{}",
            role(&g.grantee),
            if g.with_grant_option {
                " WITH GRANT OPTION"
            } else {
                ""
            }
        )
    } else {
        format!("REVOKE {privilege} ON {object} FROM {}", role(&g.grantee))
    }
}
