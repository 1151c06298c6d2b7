//! Errors of assembling declarations into a schema.

/// Why [`crate::SchemaBuilder::build`] refused the declarations.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// Two declarations name the same object.
    #[error("{kind} `{name}` is declared twice: give one of them another `#[strata(name = ...)]` or schema, or add it to the builder once")]
    Duplicate { kind: &'static str, name: String },
    /// A foreign key points at a table (or column) that is not declared.
    #[error("foreign key `{constraint}` of `{table}` references `{references}`, which is not in the schema: add its table to the SchemaBuilder (`.table::<...>()`)")]
    MissingForeignKeyTarget {
        table: String,
        constraint: String,
        references: String,
    },
}
