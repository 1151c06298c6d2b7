//! Rename hints: the only way the differ ever treats drop + add as a rename.

use crate::model::QualifiedName;
use std::fmt;

/// What kind of object a rename hint renames.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum RenameKind {
    Table,
    Column,
    Enum,
    EnumValue,
    Index,
    Constraint,
    View,
    Schema,
}

impl RenameKind {
    const ALL: [(RenameKind, &'static str); 8] = [
        (RenameKind::Table, "table"),
        (RenameKind::Column, "column"),
        (RenameKind::Enum, "enum"),
        (RenameKind::EnumValue, "enum_value"),
        (RenameKind::Index, "index"),
        (RenameKind::Constraint, "constraint"),
        (RenameKind::View, "view"),
        (RenameKind::Schema, "schema"),
    ];

    pub fn keyword(self) -> &'static str {
        Self::ALL
            .iter()
            .find(|(k, _)| *k == self)
            .map(|(_, s)| *s)
            .unwrap_or("table")
    }

    /// What the `OLD` part of a hint of this kind looks like.
    fn old_shape(self) -> &'static str {
        match self {
            RenameKind::Schema => "schema",
            RenameKind::Table | RenameKind::Enum | RenameKind::View | RenameKind::Index => {
                "schema.name"
            }
            RenameKind::Column | RenameKind::Constraint => "schema.table.name",
            RenameKind::EnumValue => "schema.enum.label",
        }
    }
}

/// One rename: `old` is the object's full path in the *from* schema, `new`
/// the new last name (same schema/table/enum).
///
/// Paths are `[schema, table, column]` for columns and constraints,
/// `[schema, enum, label]` for enum values, `[schema, name]` for tables,
/// enums, views and indexes, and `[schema]` for schemas.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RenameHint {
    pub kind: RenameKind,
    pub old: Vec<String>,
    pub new: String,
}

impl RenameHint {
    /// Parses the command-line form `KIND:OLD=NEW`, e.g.
    /// `column:public.users.full_name=name` or `table:app.people=users`.
    ///
    /// ```
    /// use strata_schema::{RenameHint, RenameKind};
    /// let h = RenameHint::parse("column:public.users.full_name=name").unwrap();
    /// assert_eq!(h.kind, RenameKind::Column);
    /// assert_eq!(h.old, ["public", "users", "full_name"]);
    /// assert_eq!(h.new, "name");
    /// ```
    pub fn parse(text: &str) -> Result<Self, String> {
        let usage = || {
            format!(
                "invalid rename hint `{text}`: expected KIND:OLD=NEW, e.g. `column:public.users.full_name=name`; \
                 KIND is one of {}",
                RenameKind::ALL.map(|(_, s)| s).join(", ")
            )
        };
        let (kind, rest) = text.split_once(':').ok_or_else(usage)?;
        let kind = RenameKind::ALL
            .iter()
            .find(|(_, s)| *s == kind)
            .map(|(k, _)| *k)
            .ok_or_else(usage)?;
        let (old, new) = rest.split_once('=').ok_or_else(usage)?;
        let old: Vec<String> = old.split('.').map(str::to_string).collect();
        let expected = kind.old_shape().split('.').count();
        // A bare table/column path without schema defaults to `public`.
        let old = if old.len() + 1 == expected {
            std::iter::once("public".to_string()).chain(old).collect()
        } else {
            old
        };
        if old.len() != expected || old.iter().any(String::is_empty) || new.is_empty() {
            return Err(format!(
                "invalid rename hint `{text}`: for `{}` the old name is `{}`",
                kind.keyword(),
                kind.old_shape()
            ));
        }
        Ok(Self {
            kind,
            old,
            new: new.to_string(),
        })
    }

    /// True when the object this hint renames exists in `schema` (the
    /// differ refuses a hint that does not) and its new name is not taken
    /// yet. Lets a caller drop hints kept in code after their rename has
    /// been applied.
    pub fn applies_to(&self, schema: &crate::model::Schema) -> bool {
        let mut renamed = self.clone();
        if let Some(last) = renamed.old.last_mut() {
            last.clone_from(&self.new);
        }
        super::renames::exists(schema, self) && !super::renames::exists(schema, &renamed)
    }

    /// For table/enum/view/index hints: the old qualified name.
    pub fn old_qualified(&self) -> Option<QualifiedName> {
        (self.old.len() >= 2).then(|| QualifiedName::new(&self.old[0], &self.old[1]))
    }
}

impl fmt::Display for RenameHint {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}:{}={}",
            self.kind.keyword(),
            self.old.join("."),
            self.new
        )
    }
}

/// All rename hints for one diff.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RenameHints {
    pub hints: Vec<RenameHint>,
}

impl RenameHints {
    pub fn new(hints: Vec<RenameHint>) -> Self {
        Self { hints }
    }

    /// The hints that undo these: each maps the new name back to the old one,
    /// with paths spelled in the *to* schema (a column hint of a table that is
    /// renamed too uses the table's new name, and so on). Used for down scripts.
    ///
    /// ```
    /// use strata_schema::{RenameHint, RenameHints};
    /// let hints = RenameHints::new(vec![
    ///     RenameHint::parse("table:public.people=users").unwrap(),
    ///     RenameHint::parse("column:public.people.full_name=name").unwrap(),
    /// ]);
    /// let back: Vec<String> = hints.reversed().hints.iter().map(|h| h.to_string()).collect();
    /// assert_eq!(back, ["table:public.users=people", "column:public.users.name=full_name"]);
    /// ```
    pub fn reversed(&self) -> RenameHints {
        let new_schema = |s: &str| -> String {
            self.renamed(RenameKind::Schema, &[s])
                .unwrap_or(s)
                .to_string()
        };
        let hints = self
            .hints
            .iter()
            .map(|h| {
                let mut old: Vec<String> = h.old.clone();
                let last = old.len() - 1;
                let was = std::mem::replace(&mut old[last], h.new.clone());
                if h.kind != RenameKind::Schema {
                    // The parent (table or enum) may be renamed by another hint.
                    if old.len() == 3 {
                        let parent_kind = if h.kind == RenameKind::EnumValue {
                            RenameKind::Enum
                        } else {
                            RenameKind::Table
                        };
                        if let Some(p) = self.renamed(parent_kind, &[&h.old[0], &h.old[1]]) {
                            old[1] = p.to_string();
                        }
                    }
                    old[0] = new_schema(&h.old[0]);
                }
                RenameHint {
                    kind: h.kind,
                    old,
                    new: was,
                }
            })
            .collect();
        RenameHints { hints }
    }

    /// The new name for an object at `old`, if a hint renames it.
    pub fn renamed(&self, kind: RenameKind, old: &[&str]) -> Option<&str> {
        self.hints
            .iter()
            .find(|h| h.kind == kind && h.old.iter().map(String::as_str).eq(old.iter().copied()))
            .map(|h| h.new.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_and_defaults_schema() {
        let h = RenameHint::parse("table:people=users").unwrap();
        assert_eq!(h.old, ["public", "people"]);
        assert_eq!(h.to_string(), "table:public.people=users");
        assert!(RenameHint::parse("column:users=name").is_err());
        assert!(RenameHint::parse("bogus:a=b").is_err());
        assert!(RenameHint::parse("table:a.b").is_err());
    }
}
