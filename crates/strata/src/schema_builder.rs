//! [`SchemaBuilder`]: collects declarations into one [`DeclaredSchema`].

use crate::error::Error;
use crate::pg_enum::PgEnum;
use crate::table::Table;
use strata_schema::{Extension, Namespace, QualifiedName, RenameHint, RenameHints, Schema, View};

/// A whole declared schema: what `strata generate` and a project's `db`
/// binary diff against the database or the last migration.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DeclaredSchema {
    /// The model, normalized.
    pub schema: Schema,
    /// Every `renamed_from` of the declarations.
    pub renames: RenameHints,
}

impl DeclaredSchema {
    /// The rename hints that apply when diffing from `from`: those whose old
    /// object exists there and whose new name does not yet. A
    /// `renamed_from` left in the code after the rename was applied is then
    /// simply ignored instead of failing the diff.
    pub fn renames_from(&self, from: &Schema) -> RenameHints {
        RenameHints::new(
            self.renames
                .hints
                .iter()
                .filter(|h| h.applies_to(from))
                .cloned()
                .collect(),
        )
    }
}

/// Collects tables, enums, views, schemas and extensions:
///
/// ```
/// #[derive(strata::Table)]
/// #[strata(schema = "questions", name = "batteries")]
/// struct Battery {
///     #[strata(primary_key, serial)]
///     id: i32,
///     name: String,
/// }
///
/// let declared = strata::SchemaBuilder::new()
///     .table::<Battery>()
///     .view(strata::view("questions", "names", "SELECT batteries.name\n   FROM questions.batteries;"))
///     .build()?;
/// let schemas: Vec<_> = declared.schema.namespaces.iter().map(|n| n.name.as_str()).collect();
/// assert_eq!(schemas, ["public", "questions"]);
/// assert_eq!(declared.schema.sequences[0].name.to_string(), "questions.batteries_id_seq");
/// # Ok::<(), strata::Error>(())
/// ```
///
/// The schema starts as a new database is (the `public` schema, see
/// `strata_postgres::source::empty_database`); every other schema a
/// declaration lives in is created.
#[derive(Debug, Clone, Default)]
pub struct SchemaBuilder {
    schema: Schema,
    renames: Vec<RenameHint>,
}

impl SchemaBuilder {
    pub fn new() -> Self {
        Self {
            schema: strata_postgres::source::empty_database(),
            renames: Vec::new(),
        }
    }

    /// Adds a `#[derive(Table)]` type (and the sequences of its serials).
    pub fn table<T: Table>(mut self) -> Self {
        let d = T::declaration();
        self.schema.tables.push(d.table);
        self.schema.sequences.extend(d.sequences);
        self.renames.extend(d.renames);
        self
    }

    /// Adds a `#[derive(PgEnum)]` type.
    pub fn enum_type<E: PgEnum>(mut self) -> Self {
        let d = E::declaration();
        self.schema.enums.push(d.enum_type);
        self.renames.extend(d.renames);
        self
    }

    /// Adds a view (see [`crate::view`]).
    pub fn view(mut self, view: View) -> Self {
        self.schema.views.push(view);
        self
    }

    /// Declares a schema explicitly, e.g. to give it a comment. Schemas
    /// that declarations live in are created without one.
    pub fn namespace(mut self, name: &str, comment: Option<&str>) -> Self {
        self.schema.namespaces.retain(|n| n.name != name);
        self.schema.namespaces.push(Namespace {
            name: name.to_string(),
            comment: comment.map(str::to_string),
            grants: Vec::new(),
        });
        self
    }

    /// `CREATE EXTENSION name SCHEMA schema` (e.g. `citext` in `public`).
    /// An extension comments itself when installed (`citext`: "data type for
    /// case-insensitive character strings"); introspection reads that
    /// comment, so declare the same text, or `None` to remove it.
    pub fn extension(mut self, name: &str, schema: &str, comment: Option<&str>) -> Self {
        self.schema.extensions.push(Extension {
            name: name.to_string(),
            schema: schema.to_string(),
            comment: comment.map(str::to_string),
        });
        self
    }

    /// Checks the declarations against each other and returns the
    /// normalized schema with its rename hints.
    pub fn build(self) -> Result<DeclaredSchema, Error> {
        let mut schema = self.schema;
        check_unique(
            "table or view",
            schema
                .tables
                .iter()
                .map(|t| &t.name)
                .chain(schema.views.iter().map(|v| &v.name)),
        )?;
        check_unique("enum", schema.enums.iter().map(|e| &e.name))?;
        check_unique("sequence", schema.sequences.iter().map(|s| &s.name))?;
        for t in &schema.tables {
            for fk in &t.foreign_keys {
                let target =
                    schema
                        .table(&fk.references)
                        .ok_or_else(|| Error::MissingForeignKeyTarget {
                            table: t.name.to_string(),
                            constraint: fk.name.clone(),
                            references: fk.references.to_string(),
                        })?;
                for c in &fk.referenced_columns {
                    if target.column(c).is_none() {
                        return Err(Error::MissingForeignKeyTarget {
                            table: t.name.to_string(),
                            constraint: fk.name.clone(),
                            references: format!("{}.{c}", fk.references),
                        });
                    }
                }
            }
        }
        let used: Vec<String> = schema
            .tables
            .iter()
            .map(|t| &t.name.schema)
            .chain(schema.enums.iter().map(|e| &e.name.schema))
            .chain(schema.views.iter().map(|v| &v.name.schema))
            .chain(schema.sequences.iter().map(|s| &s.name.schema))
            .cloned()
            .collect();
        for name in used {
            if !schema.namespaces.iter().any(|n| n.name == name) {
                schema.namespaces.push(Namespace {
                    name,
                    comment: None,
                    grants: Vec::new(),
                });
            }
        }
        schema.normalize();
        Ok(DeclaredSchema {
            schema,
            renames: RenameHints::new(self.renames),
        })
    }
}

fn check_unique<'a>(
    kind: &'static str,
    names: impl Iterator<Item = &'a QualifiedName>,
) -> Result<(), Error> {
    let mut seen = std::collections::BTreeSet::new();
    for n in names {
        if !seen.insert(n) {
            return Err(Error::Duplicate {
                kind,
                name: n.to_string(),
            });
        }
    }
    Ok(())
}

/// A view declared with its query. The model compares the query as text,
/// so write it as the server prints it (`pg_get_viewdef`, which `strata
/// inspect` shows): qualified names, casts and line breaks included. A
/// trailing semicolon and surrounding blank space are dropped.
pub fn view(schema: &str, name: &str, query: &str) -> View {
    View {
        name: QualifiedName::new(schema, name),
        definition: query.trim().trim_end_matches(';').trim_end().to_string(),
        materialized: false,
        with_no_data: false,
        with: Vec::new(),
        indexes: Vec::new(),
        column_comments: Vec::new(),
        comment: None,
        grants: Vec::new(),
    }
}
