//! SQL for schemas, extensions, enums, domains, composite types and sequences.

use super::sql::{check, collation, q, sequence_options};
use crate::quote::{ident, literal, qualified};
use strata_schema::{Change, QualifiedName};

/// Suffix of the name an enum being rebuilt is moved to.
pub const OLD_ENUM_SUFFIX: &str = "__strata_old";

pub(crate) fn render(change: &Change) -> Option<Vec<String>> {
    Some(match change {
        // `public` exists in every new database: a plan from an empty model
        // (a first migration) must not fail on it.
        Change::CreateSchema { schema } if schema.name == "public" => {
            vec![format!(
                "CREATE SCHEMA IF NOT EXISTS {}",
                ident(&schema.name)
            )]
        }
        Change::CreateSchema { schema } => vec![format!("CREATE SCHEMA {}", ident(&schema.name))],
        Change::DropSchema { name } => vec![format!("DROP SCHEMA {}", ident(name))],
        Change::RenameSchema { from, to } => {
            vec![format!(
                "ALTER SCHEMA {} RENAME TO {}",
                ident(from),
                ident(to)
            )]
        }
        Change::CreateExtension { extension } => vec![format!(
            "CREATE EXTENSION IF NOT EXISTS {} WITH SCHEMA {}",
            ident(&extension.name),
            ident(&extension.schema)
        )],
        Change::DropExtension { name } => vec![format!("DROP EXTENSION {}", ident(name))],
        Change::SetExtensionSchema { name, schema } => vec![format!(
            "ALTER EXTENSION {} SET SCHEMA {}",
            ident(name),
            ident(schema)
        )],
        Change::CreateEnum { enum_type } => vec![create_enum(&enum_type.name, &enum_type.labels)],
        Change::DropEnum { name } => vec![format!("DROP TYPE {}", q(name))],
        Change::RenameEnum { from, to } => {
            vec![format!("ALTER TYPE {} RENAME TO {}", q(from), ident(to))]
        }
        Change::AddEnumValue {
            name,
            value,
            before,
            after,
        } => {
            let place = match (before, after) {
                (Some(b), _) => format!(" BEFORE {}", literal(b)),
                (None, Some(a)) => format!(" AFTER {}", literal(a)),
                (None, None) => String::new(),
            };
            vec![format!(
                "ALTER TYPE {} ADD VALUE {}{place}",
                q(name),
                literal(value)
            )]
        }
        Change::RenameEnumValue { name, from, to } => vec![format!(
            "ALTER TYPE {} RENAME VALUE {} TO {}",
            q(name),
            literal(from),
            literal(to)
        )],
        Change::RecreateEnum {
            enum_type, columns, ..
        } => {
            let name = &enum_type.name;
            let old_name = format!("{}{OLD_ENUM_SUFFIX}", name.name);
            let mut out = vec![
                format!("ALTER TYPE {} RENAME TO {}", q(name), ident(&old_name)),
                create_enum(name, &enum_type.labels),
            ];
            for c in columns {
                let table = q(&c.table);
                let col = ident(&c.column);
                let (via, ty) = if c.array {
                    ("text[]", format!("{}[]", q(name)))
                } else {
                    ("text", q(name))
                };
                // The old default is typed with the old enum: it cannot stay.
                out.push(format!(
                    "ALTER TABLE {table} ALTER COLUMN {col} DROP DEFAULT"
                ));
                out.push(format!(
                    "ALTER TABLE {table} ALTER COLUMN {col} TYPE {ty} USING {col}::{via}::{ty}"
                ));
                if let Some(d) = &c.default {
                    out.push(format!(
                        "ALTER TABLE {table} ALTER COLUMN {col} SET DEFAULT {d}"
                    ));
                }
            }
            out.push(format!("DROP TYPE {}", qualified(&name.schema, &old_name)));
            out
        }
        Change::CreateDomain { domain } => {
            let mut s = format!("CREATE DOMAIN {} AS {}", q(&domain.name), domain.data_type);
            if let Some(c) = &domain.collation {
                s.push_str(&format!(" COLLATE {}", collation(c)));
            }
            if let Some(d) = &domain.default {
                s.push_str(&format!(" DEFAULT {d}"));
            }
            if domain.not_null {
                s.push_str(" NOT NULL");
            }
            for c in domain.checks.iter().filter(|c| !c.not_valid) {
                s.push(' ');
                s.push_str(&check(c, false));
            }
            let mut out = vec![s];
            for c in domain.checks.iter().filter(|c| c.not_valid) {
                out.push(format!(
                    "ALTER DOMAIN {} ADD {}",
                    q(&domain.name),
                    check(c, true)
                ));
            }
            out
        }
        Change::DropDomain { name } => vec![format!("DROP DOMAIN {}", q(name))],
        Change::SetDomainDefault { name, default } => vec![match default {
            Some(d) => format!("ALTER DOMAIN {} SET DEFAULT {d}", q(name)),
            None => format!("ALTER DOMAIN {} DROP DEFAULT", q(name)),
        }],
        Change::SetDomainNotNull { name, not_null } => vec![format!(
            "ALTER DOMAIN {} {} NOT NULL",
            q(name),
            if *not_null { "SET" } else { "DROP" }
        )],
        Change::AddDomainCheck { name, check: c } => {
            vec![format!("ALTER DOMAIN {} ADD {}", q(name), check(c, true))]
        }
        Change::DropDomainCheck { name, check } => vec![format!(
            "ALTER DOMAIN {} DROP CONSTRAINT {}",
            q(name),
            ident(check)
        )],
        Change::CreateCompositeType { composite } => {
            let attrs: Vec<String> = composite
                .attributes
                .iter()
                .map(|a| {
                    let coll = a
                        .collation
                        .as_deref()
                        .map(|c| format!(" COLLATE {}", collation(c)))
                        .unwrap_or_default();
                    format!("{} {}{coll}", ident(&a.name), a.data_type)
                })
                .collect();
            vec![format!(
                "CREATE TYPE {} AS ({})",
                q(&composite.name),
                attrs.join(", ")
            )]
        }
        Change::DropCompositeType { name } => vec![format!("DROP TYPE {}", q(name))],
        Change::CreateSequence { sequence } => vec![format!(
            "CREATE SEQUENCE {} AS {} {}",
            q(&sequence.name),
            sequence.data_type,
            sequence_options(&sequence.options, "")
        )],
        Change::DropSequence { name } => vec![format!("DROP SEQUENCE {}", q(name))],
        Change::AlterSequence {
            name,
            data_type,
            options,
            restart,
        } => vec![format!(
            "ALTER SEQUENCE {} AS {data_type} {}{}",
            q(name),
            sequence_options(options, ""),
            restart
                .map(|n| format!(" RESTART WITH {n}"))
                .unwrap_or_default()
        )],
        Change::SetSequenceOwner { name, owned_by } => vec![format!(
            "ALTER SEQUENCE {} OWNED BY {}",
            q(name),
            owned_by.as_ref().map_or_else(
                || "NONE".to_string(),
                |o| format!("{}.{}", q(&o.table), ident(&o.column))
            )
        )],
        _ => return None,
    })
}

fn create_enum(name: &QualifiedName, labels: &[String]) -> String {
    let labels: Vec<String> = labels.iter().map(|l| literal(l)).collect();
    format!("CREATE TYPE {} AS ENUM ({})", q(name), labels.join(", "))
}
