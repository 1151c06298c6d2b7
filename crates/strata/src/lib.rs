//! Strata: a PostgreSQL schema declared as Rust types.
//!
//! One declaration is the single source of truth. `#[derive(Table)]` on a
//! struct and `#[derive(PgEnum)]` on an enum produce, from the same tokens,
//! the schema model ([`strata_schema::Table`], [`strata_schema::EnumType`],
//! ...) that `strata generate` diffs, and the typed columns a query builder
//! uses. The model is exported from compiled code, never re-parsed from the
//! source, so the two cannot drift.
//!
//! ```
//! use strata::{PgEnum, Table};
//!
//! #[derive(PgEnum)]
//! #[strata(name = "student_status")]
//! pub enum StudentStatus { Active, Inactive, Transferred, Graduated }
//!
//! /// People who sign in.
//! #[derive(Table)]
//! #[strata(name = "users")]
//! pub struct User {
//!     #[strata(primary_key, serial)]
//!     pub id: i32,
//!     #[strata(sql_type = "varchar(255)", unique)]
//!     pub email: String,
//!     #[strata(default = StudentStatus::Active)]
//!     pub status: StudentStatus,
//! }
//!
//! let declared = strata::SchemaBuilder::new()
//!     .enum_type::<StudentStatus>()
//!     .table::<User>()
//!     .build()?;
//! let users = &declared.schema.tables[0];
//! assert_eq!(users.column("email").unwrap().data_type, "character varying(255)");
//! assert_eq!(
//!     users.column("id").unwrap().default.as_deref(),
//!     Some("nextval('public.users_id_seq'::regclass)")
//! );
//! assert_eq!(
//!     users.column("status").unwrap().default.as_deref(),
//!     Some("'active'::public.student_status")
//! );
//! assert_eq!(User::EMAIL.name(), "email");
//! # Ok::<(), strata::Error>(())
//! ```
//!
//! # Names
//! - A table is named after its struct in snake_case, *not pluralized*
//!   (`UserRole` -> `user_role`): English plurals are guesswork
//!   (`Battery`, `Person`), so write `#[strata(name = "user_roles")]`
//!   when you want one. The schema is `public` unless `#[strata(schema = "...")]`.
//! - A column is named after its field (`#[strata(name = "...")]` overrides).
//! - An enum type is its Rust name in snake_case, a label its variant's
//!   (`InProgress` -> `in_progress`); `name = "..."` overrides both.
//! - Constraints, indexes and serial sequences get the names PostgreSQL
//!   itself would choose (`users_pkey`, `users_email_key`,
//!   `user_roles_user_id_fkey`, `users_id_seq`, `..._idx`, shortened to 63
//!   bytes the server's way); `name = "..."` overrides.
//!
//! # Types
//! A field's Rust type gives the column type through [`SqlType`]; a type
//! without one is a compile error, never `text`. `Option<T>` is nullable,
//! `Vec<T>` is `T[]`, `Vec<u8>` is `bytea`. `#[strata(sql_type = "...")]`
//! overrides (`varchar(255)`, `numeric(10,2)`, `citext`); it is written back
//! in the server's spelling ([`canonical::sql_type`]).
//!
//! # Canonical text
//! The model stores types, defaults and expressions as PostgreSQL prints
//! them, and the differ compares text. The declaration therefore produces
//! the server's spelling: `character varying(255)` for `varchar(255)`,
//! `'active'::public.student_status` for an enum default, `(a > 0)` for a
//! check `a > 0`, `nextval('public.users_id_seq'::regclass)` for a serial.
//! SQL *expressions* (checks, predicates, generated columns, policies,
//! `default_sql`, index expressions, views) are not parsed: beyond the
//! outer parentheses added by [`canonical::condition`], write them as the
//! server prints them (`strata inspect` shows that text). Introspection
//! reads index expressions and view queries pretty-printed, so these have
//! no redundant parentheses: `lower(last_name::text)`, `WHERE students.status
//! = 'active'::public.student_status`. A mismatch is never silent: the
//! round-trip test of your schema (see `examples/`) shows the difference.
//!
//! # Typed columns
//! For every field, the derive adds an associated const of type
//! [`Column<Table, Value>`](Column), named after the field in upper case:
//! `User::EMAIL: Column<User, String>`, as visible as the field. Zero-sized apart from the SQL name,
//! `Copy`, usable in `const` context. The two type parameters are what a
//! query builder needs to reject, at compile time,
//! - comparing a column with a value or column of another Rust type
//!   (`User::ID.eq("x")` when `ID` is `Column<User, i32>`), because its
//!   methods take `V` (or `Column<_, V>`);
//! - using a column of a table the query does not read, because a query
//!   over `User` accepts only `Column<User, _>` (joins widen the set with
//!   tuples of tables).
//!
//! `V` is the field's type as written, `Option` included, so a builder can
//! also tell nullable columns apart. [`Table::COLUMN_NAMES`], [`Table::TABLE_NAME`] and
//! [`Table::TABLE_SCHEMA`] give the SQL names; nothing here builds queries.
//! (The trait's consts have `TABLE_`/`COLUMN_` names so that a field called
//! `name` or `schema` can have its column const `NAME` or `SCHEMA`.)
//!
//! A query builder adds its operations either as inherent methods on
//! [`Column`] (inside this crate) or as an extension trait implemented for
//! `Column<T, V>`, e.g. `fn eq(self, value: impl Into<V>)` and
//! `fn eq_column(self, other: Column<U, V>)`, and bounds the table parameter
//! by what the query reads.
//!
//! # Attributes
//! On a struct (`#[strata(...)]`, several allowed, comma-separated):
//! - `name = "users"`, `schema = "questions"`, `renamed_from = "people"`
//! - `primary_key(a, b)`: a composite key (a single one goes on its field)
//! - `unique(a, b)`, `unique(a, b, name = "...", nulls_not_distinct)`
//! - `index(a, b)`, `index(email, desc(created_at), name = "...", unique,
//!   method = "gin", predicate = "deleted_at IS NULL", include(c),
//!   nulls_not_distinct)`, or `index(expression = "lower(email)", name = "...")`
//! - `foreign_key(columns(a, b), references(Parent::A, Parent::B),
//!   on_delete = "cascade", on_update = "set null", deferrable = "initially deferred",
//!   match_full, name = "...")`
//! - `check(name = "...", expression = "a < b")`
//! - `row_level_security` or `row_level_security(forced)`;
//!   `policy(name = "...", command = "select", roles("app"), using = "...",
//!   with_check = "...", restrictive)`
//! - doc comments become `COMMENT ON TABLE`.
//!
//! On a field:
//! - `name = "..."`, `renamed_from = "..."`, `sql_type = "..."`, `collation = "C"`
//! - `primary_key`, `unique`, `unique = "name"`, `index`, `check = "..."`
//! - `serial` (on `i16`/`i32`/`i64`: smallserial/serial/bigserial),
//!   `identity` (`GENERATED BY DEFAULT`) or `identity(always)`
//! - `default = <Rust value>` (`false`, `0`, `"x"`, `StudentStatus::Active`:
//!   see [`DefaultValue`]; a value of the wrong kind for the field does not
//!   compile, see [`DefaultFor`]), `default_sql = "now()"`, `generated = "a * 2"`
//! - `references = Other::ID` (typed: the column must exist and have the
//!   same Rust type, `Option` aside), with `on_delete`, `on_update`, `deferrable`
//! - doc comments become `COMMENT ON COLUMN`.
//!
//! On an enum: `name`, `schema`, `renamed_from`; on a variant: `name`,
//! `renamed_from`. Anything else is a compile error that names the fix.

pub mod canonical;
mod column;
pub mod decl;
mod default_value;
mod error;
mod pg_enum;
pub mod query;
mod schema_builder;
mod sql_type;
mod table;

pub use column::Column;
pub use default_value::{DefaultFor, DefaultValue};
pub use error::Error;
pub use pg_enum::{EnumDeclaration, PgEnum};
pub use schema_builder::{view, DeclaredSchema, SchemaBuilder};
pub use sql_type::{ArrayElement, SqlType};
pub use table::{Table, TableDeclaration};

/// `#[derive(Table)]`: see the crate documentation.
pub use strata_macros::Table;

/// `#[derive(PgEnum)]`: see the crate documentation.
pub use strata_macros::PgEnum;

/// The schema model, for code that inspects a declaration.
pub use strata_schema as schema;

/// Support for generated code; not a public API.
#[doc(hidden)]
pub mod __private {
    pub use crate::decl::*;
    pub use strata_schema::{
        Deferrable, EnumType, FkAction, QualifiedName, RenameHint, RenameKind,
    };

    use crate::{Column, SqlType, Table};

    /// The integer types a serial or identity column can have.
    #[diagnostic::on_unimplemented(
        message = "`{Self}` cannot be a serial or identity column",
        label = "a sequence produces integers",
        note = "use i16 (smallserial), i32 (serial) or i64 (bigserial) for this field"
    )]
    pub trait SequenceValue {}
    impl SequenceValue for i16 {}
    impl SequenceValue for i32 {}
    impl SequenceValue for i64 {}

    /// Compile-time check that a field may be serial or identity.
    pub const fn sequence_value<T: SequenceValue>() {}

    /// A column of `Self` may reference a column of `R`: the same Rust
    /// type, `Option` aside. A trait (not a type equality) so the compiler
    /// reports the mistake in these words.
    #[diagnostic::on_unimplemented(
        message = "a `{Self}` column cannot reference a `{R}` column",
        label = "the referenced column holds another Rust type",
        note = "a foreign key column has the Rust type of the column it references (`Option` aside): change this field's type or reference another column"
    )]
    pub trait CanReference<R> {}
    impl<T: SqlType> CanReference<T> for T {}
    impl<T: SqlType> CanReference<T> for Option<T> {}
    impl<T: SqlType> CanReference<Option<T>> for T {}

    /// The referenced column of a typed foreign key: `(schema, table, column)`.
    /// Only compiles when both columns hold the same Rust type (`Option` aside).
    pub fn references<L, T, R>(column: Column<T, R>) -> (&'static str, &'static str, &'static str)
    where
        L: CanReference<R>,
        T: Table,
    {
        (T::TABLE_SCHEMA, T::TABLE_NAME, column.name())
    }

    /// A typed default: compiles only when `D` suits a column of type `C`.
    pub fn default_for<C, D: crate::DefaultFor<C>>(value: &D) -> &dyn crate::DefaultValue {
        value
    }

    /// [`references`] for a field with an explicit `sql_type` (no Rust type check).
    pub fn references_untyped<T: Table, R>(
        column: Column<T, R>,
    ) -> (&'static str, &'static str, &'static str) {
        (T::TABLE_SCHEMA, T::TABLE_NAME, column.name())
    }
}
