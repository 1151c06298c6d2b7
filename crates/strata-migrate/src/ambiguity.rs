//! Possible renames: a table dropped and another added in the same schema,
//! or a column dropped and another added in the same table. The differ never
//! guesses; `generate` asks (on a terminal) or refuses (without one) until
//! each such pair is declared a rename or a drop + add.

use strata_schema::{Change, PlannedChange, QualifiedName, RenameHint, RenameKind};

/// One drop + add that may be a rename.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PossibleRename {
    pub kind: RenameKind,
    /// The dropped object's path (`[schema, table]` or `[schema, table, column]`).
    pub old: Vec<String>,
    /// The added object's name.
    pub new: String,
}

impl PossibleRename {
    /// The hint that declares this pair a rename.
    pub fn hint(&self) -> RenameHint {
        RenameHint {
            kind: self.kind,
            old: self.old.clone(),
            new: self.new.clone(),
        }
    }

    /// `table public.people -> public.users` / `column public.users.full_name -> name`.
    pub fn describe(&self) -> String {
        let what = match self.kind {
            RenameKind::Table => "table",
            _ => "column",
        };
        format!("{what} {} -> {}", self.old.join("."), self.new)
    }

    /// The same declared in code, for the derive (`#[strata(renamed_from = ...)]`
    /// on the new field or struct).
    pub fn code_hint(&self) -> String {
        format!(
            "#[strata(renamed_from = \"{}\")]",
            self.old.last().map_or("", String::as_str)
        )
    }
}

/// Every drop + add pair in `changes` that a rename hint could turn into a
/// rename, in change order. Each dropped object is paired with every added
/// object of its kind in the same schema (tables) or table (columns).
pub fn possible_renames(changes: &[PlannedChange]) -> Vec<PossibleRename> {
    let mut dropped_tables: Vec<&QualifiedName> = Vec::new();
    let mut added_tables: Vec<&QualifiedName> = Vec::new();
    let mut dropped_columns: Vec<(&QualifiedName, &str)> = Vec::new();
    let mut added_columns: Vec<(&QualifiedName, &str)> = Vec::new();
    for c in changes {
        match &c.change {
            Change::DropTable { name } => dropped_tables.push(name),
            Change::CreateTable { table } => added_tables.push(&table.name),
            Change::DropColumn { table, column } => dropped_columns.push((table, column)),
            Change::AddColumn { table, column } => added_columns.push((table, &column.name)),
            _ => {}
        }
    }
    let mut out = Vec::new();
    for old in &dropped_tables {
        for new in added_tables.iter().filter(|n| n.schema == old.schema) {
            out.push(PossibleRename {
                kind: RenameKind::Table,
                old: vec![old.schema.clone(), old.name.clone()],
                new: new.name.clone(),
            });
        }
    }
    for (table, old) in &dropped_columns {
        for (_, new) in added_columns.iter().filter(|(t, _)| t == table) {
            out.push(PossibleRename {
                kind: RenameKind::Column,
                old: vec![table.schema.clone(), table.name.clone(), old.to_string()],
                new: new.to_string(),
            });
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use strata_schema::{diff, Column, RenameHints, Schema, Table};

    fn column(name: &str) -> Column {
        Column {
            name: name.into(),
            data_type: "text".into(),
            not_null: false,
            default: None,
            identity: None,
            generated: None,
            collation: None,
            comment: None,
            grants: vec![],
        }
    }

    fn schema(tables: &[(&str, &[&str])]) -> Schema {
        let mut s = Schema::default();
        for (t, cols) in tables {
            s.tables.push(Table::new(
                QualifiedName::new("public", *t),
                cols.iter().map(|c| column(c)).collect(),
            ));
        }
        s
    }

    #[test]
    fn pairs_drops_with_adds_of_the_same_kind_and_place() {
        let from = schema(&[("people", &["id"]), ("users", &["id", "full_name"])]);
        let to = schema(&[("persons", &["id"]), ("users", &["id", "name"])]);
        let changes = diff(&from, &to, &RenameHints::default()).unwrap();
        let found: Vec<String> = possible_renames(&changes)
            .iter()
            .map(|p| p.hint().to_string())
            .collect();
        assert_eq!(
            found,
            [
                "table:public.people=persons",
                "column:public.users.full_name=name"
            ]
        );
        // Declared: nothing left to ask.
        let hints = RenameHints::new(
            found
                .iter()
                .map(|h| RenameHint::parse(h).unwrap())
                .collect(),
        );
        assert!(possible_renames(&diff(&from, &to, &hints).unwrap()).is_empty());
        // A pure add is not ambiguous.
        let grown = schema(&[("people", &["id"]), ("users", &["id", "full_name", "x"])]);
        assert!(
            possible_renames(&diff(&from, &grown, &RenameHints::default()).unwrap()).is_empty()
        );
    }
}
