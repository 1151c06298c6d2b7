//! The [`PgEnum`] trait that `#[derive(PgEnum)]` implements.

use crate::sql_type::SqlType;
use strata_schema::{EnumType, RenameHint};

/// A Rust enum that declares a PostgreSQL enum type. Implemented by
/// `#[derive(PgEnum)]`, together with [`SqlType`] (so a field of this type
/// is a column of the enum type) and [`crate::DefaultValue`] (so a variant
/// can be a column default).
pub trait PgEnum: SqlType + 'static {
    /// The PostgreSQL schema of the type.
    const SCHEMA: &'static str;
    /// The type's SQL name, unquoted.
    const NAME: &'static str;
    /// The labels, in declaration (= sort) order.
    const LABELS: &'static [&'static str];

    /// This value's label.
    fn label(&self) -> &'static str;

    /// The enum type and its rename hints (type and labels).
    fn declaration() -> EnumDeclaration;

    /// The enum type in the schema model.
    fn enum_type() -> EnumType {
        Self::declaration().enum_type
    }
}

/// What one `#[derive(PgEnum)]` declares.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EnumDeclaration {
    pub enum_type: EnumType,
    /// `renamed_from` hints of the type and its labels.
    pub renames: Vec<RenameHint>,
}
