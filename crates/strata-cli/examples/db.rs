//! An app's `db` binary: every `strata` command plus the ones that need the
//! code's schema (`generate`, `diff --to app`). In a real crate the schema
//! comes from the derive (`strata::SchemaBuilder`); here it is written by
//! hand, in two versions to show a schema evolving:
//!
//! ```sh
//! cargo run -q -p strata-cli --example db -- generate --name init
//! STRATA_EXAMPLE_VERSION=2 cargo run -q -p strata-cli --example db -- generate --name rename
//! # or through the prebuilt binary:
//! strata --app "cargo run -q -p strata-cli --example db --" generate
//! ```
//!
//! Version 1: `users (id bigint primary key, full_name text)`.
//! Version 2: `full_name` renamed to `name` (declared, as the derive's
//! `#[strata(renamed_from = "full_name")]` would), and `email text` added.

use std::process::ExitCode;
use strata_schema::{Column, PrimaryKey, QualifiedName, RenameHint, RenameHints, Schema, Table};

fn column(name: &str, data_type: &str, not_null: bool) -> Column {
    Column {
        name: name.into(),
        data_type: data_type.into(),
        not_null,
        default: None,
        identity: None,
        generated: None,
        collation: None,
        comment: None,
        grants: vec![],
    }
}

/// The schema the code declares, and its renames.
fn declared(version: u32) -> (Schema, RenameHints) {
    let mut columns = vec![column("id", "bigint", true)];
    let mut renames = Vec::new();
    if version >= 2 {
        columns.push(column("name", "text", false));
        columns.push(column("email", "text", false));
        renames.push(RenameHint {
            kind: strata_schema::RenameKind::Column,
            old: vec!["public".into(), "users".into(), "full_name".into()],
            new: "name".into(),
        });
    } else {
        columns.push(column("full_name", "text", false));
    }
    let mut users = Table::new(QualifiedName::new("public", "users"), columns);
    users.primary_key = Some(PrimaryKey {
        name: "users_pkey".into(),
        columns: vec!["id".into()],
        include: vec![],
        deferrable: Default::default(),
        comment: None,
    });
    let schema = Schema {
        tables: vec![users],
        ..Schema::default()
    };
    (schema, RenameHints::new(renames))
}

fn main() -> ExitCode {
    let version = std::env::var("STRATA_EXAMPLE_VERSION")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(1);
    let (schema, renames) = declared(version);
    strata_cli::run_app(
        strata_cli::App::new(schema).with_renames(renames),
        std::env::args_os(),
    )
}
