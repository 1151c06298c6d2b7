//! Rust type -> PostgreSQL column type. The derive asks every field's type
//! for its SQL type through [`SqlType`]; a type without an implementation is
//! a compile error (never a silent `text`).

/// A Rust type that can be stored in a PostgreSQL column.
///
/// [`SqlType::sql_type`] returns the type as PostgreSQL prints it
/// (`format_type`): `integer`, `character varying(255)`,
/// `timestamp without time zone`, `public.mood`. That spelling is what
/// introspection reports, so a declared schema compares equal to the
/// database it created.
///
/// Implemented for `i16`, `i32`, `i64`, `f32`, `f64`, `bool`, `String`,
/// `Vec<u8>` (`bytea`), `Vec<T>` for arrays, `Option<T>` (nullable), every
/// `#[derive(PgEnum)]` type, and behind cargo features for `uuid::Uuid`,
/// `chrono`/`time` date and time types, `rust_decimal::Decimal` and
/// `serde_json::Value` (`jsonb`).
#[diagnostic::on_unimplemented(
    message = "`{Self}` has no PostgreSQL column type",
    label = "no `strata::SqlType` for this field's type",
    note = "give the field an explicit type, e.g. `#[strata(sql_type = \"varchar(255)\")]`, use a supported type (i16, i32, i64, f32, f64, bool, String, Vec<u8>, Vec<T>, Option<T>, a #[derive(PgEnum)] enum), enable the strata feature for it (uuid, chrono, time, rust_decimal, serde_json), or implement `strata::SqlType` for it"
)]
pub trait SqlType {
    /// The column type, canonical spelling.
    fn sql_type() -> String;
    /// True for `Option<T>`: the column is nullable.
    const NULLABLE: bool = false;
}

/// A type that can be an array element (`Vec<T>` maps to `T[]`). `u8` is
/// not one: `Vec<u8>` is `bytea`.
pub trait ArrayElement: SqlType {}

macro_rules! builtin {
    ($($rust:ty => $sql:literal),* $(,)?) => {$(
        impl SqlType for $rust {
            fn sql_type() -> String {
                $sql.to_string()
            }
        }
        impl ArrayElement for $rust {}
    )*};
}

builtin! {
    i16 => "smallint",
    i32 => "integer",
    i64 => "bigint",
    f32 => "real",
    f64 => "double precision",
    bool => "boolean",
    String => "text",
}

impl SqlType for Vec<u8> {
    fn sql_type() -> String {
        "bytea".to_string()
    }
}

impl<T: ArrayElement> SqlType for Vec<T> {
    fn sql_type() -> String {
        format!("{}[]", T::sql_type())
    }
}

impl<T: SqlType> SqlType for Option<T> {
    fn sql_type() -> String {
        T::sql_type()
    }
    const NULLABLE: bool = true;
}

#[cfg(feature = "uuid")]
builtin! { uuid::Uuid => "uuid" }

#[cfg(feature = "chrono")]
builtin! {
    chrono::NaiveDate => "date",
    chrono::NaiveTime => "time without time zone",
    chrono::NaiveDateTime => "timestamp without time zone",
    chrono::DateTime<chrono::Utc> => "timestamp with time zone",
    chrono::DateTime<chrono::FixedOffset> => "timestamp with time zone",
}

#[cfg(feature = "time")]
builtin! {
    time::Date => "date",
    time::Time => "time without time zone",
    time::PrimitiveDateTime => "timestamp without time zone",
    time::OffsetDateTime => "timestamp with time zone",
}

#[cfg(feature = "rust_decimal")]
builtin! { rust_decimal::Decimal => "numeric" }

#[cfg(feature = "serde_json")]
builtin! { serde_json::Value => "jsonb" }

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn maps_builtin_types() {
        assert_eq!(i32::sql_type(), "integer");
        assert_eq!(<Option<i64>>::sql_type(), "bigint");
        fn nullable<T: SqlType>() -> bool {
            T::NULLABLE
        }
        assert!(nullable::<Option<i64>>());
        assert!(!nullable::<i64>());
        assert_eq!(<Vec<u8>>::sql_type(), "bytea");
        assert_eq!(<Vec<String>>::sql_type(), "text[]");
        assert_eq!(<Vec<f64>>::sql_type(), "double precision[]");
    }
}
