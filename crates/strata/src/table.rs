//! The [`Table`] trait that `#[derive(Table)]` implements.

use strata_schema::{RenameHint, Sequence};

/// A Rust type that declares a PostgreSQL table. Implemented by
/// `#[derive(Table)]`; see the crate documentation for the attributes.
pub trait Table: 'static {
    /// The PostgreSQL schema (namespace) the table lives in, e.g. `public`.
    const TABLE_SCHEMA: &'static str;
    /// The table's SQL name, unquoted.
    const TABLE_NAME: &'static str;
    /// The SQL names of the columns, in declaration order.
    const COLUMN_NAMES: &'static [&'static str];

    /// Everything the declaration says: the table, the sequences its
    /// `serial` columns own, and its rename hints.
    fn declaration() -> TableDeclaration;

    /// The table in the schema model.
    fn schema_table() -> strata_schema::Table {
        Self::declaration().table
    }
}

/// What one `#[derive(Table)]` declares.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TableDeclaration {
    pub table: strata_schema::Table,
    /// Sequences owned by the table's `serial` columns (PostgreSQL keeps a
    /// serial as an `integer` column whose default is `nextval` of a
    /// sequence `OWNED BY` it; introspection reads it back exactly so).
    pub sequences: Vec<Sequence>,
    /// `renamed_from` hints of the table and its columns.
    pub renames: Vec<RenameHint>,
}
