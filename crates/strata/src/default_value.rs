//! Typed column defaults: `#[strata(default = false)]`,
//! `#[strata(default = StudentStatus::Active)]`.

use crate::canonical;

/// A Rust value usable as a column's `DEFAULT`. Produces the literal as the
/// server prints it for a column of `data_type`, so a declared default
/// compares equal to the introspected one.
pub trait DefaultValue {
    /// The default expression, server spelling.
    fn default_sql(&self, data_type: &str) -> String;
}

macro_rules! integer {
    ($($t:ty),*) => {$(
        impl DefaultValue for $t {
            fn default_sql(&self, _data_type: &str) -> String {
                canonical::integer_default(i64::from(*self))
            }
        }
    )*};
}

integer!(i16, i32, i64);

impl DefaultValue for f64 {
    fn default_sql(&self, _data_type: &str) -> String {
        canonical::float_default(*self)
    }
}

impl DefaultValue for f32 {
    fn default_sql(&self, _data_type: &str) -> String {
        canonical::float_default(f64::from(*self))
    }
}

impl DefaultValue for bool {
    fn default_sql(&self, _data_type: &str) -> String {
        self.to_string()
    }
}

impl DefaultValue for &str {
    fn default_sql(&self, data_type: &str) -> String {
        canonical::string_default(self, data_type)
    }
}

impl DefaultValue for String {
    fn default_sql(&self, data_type: &str) -> String {
        canonical::string_default(self, data_type)
    }
}

/// `Self` may be the default of a column whose Rust type is `C`: numbers
/// for number columns, `bool` for `bool`, a variant for its enum, and a
/// string (the literal's text) for text, array, JSON, UUID, date/time and
/// decimal columns. `#[strata(default = ...)]` requires it, so a default of
/// the wrong kind is a compile error instead of a failing migration.
#[diagnostic::on_unimplemented(
    message = "`{Self}` cannot be the default of a `{C}` column",
    label = "a default of another type",
    note = "write a value of the column's kind (a number, `true`/`false`, a string, an enum variant), or an SQL expression: `default_sql = \"...\"`"
)]
pub trait DefaultFor<C>: DefaultValue {}

impl<D: DefaultFor<C>, C> DefaultFor<Option<C>> for D {}

macro_rules! default_for {
    ($($value:ty => [$($column:ty),*]);* $(;)?) => {$($(
        impl DefaultFor<$column> for $value {}
    )*)*};
}

default_for! {
    i16 => [i16, i32, i64, f32, f64];
    i32 => [i16, i32, i64, f32, f64];
    i64 => [i16, i32, i64, f32, f64];
    f32 => [f32, f64];
    f64 => [f32, f64];
    bool => [bool];
    &str => [String];
    String => [String];
}

impl<T> DefaultFor<Vec<T>> for &str {}

#[cfg(feature = "uuid")]
default_for! { &str => [uuid::Uuid] }

#[cfg(feature = "serde_json")]
default_for! { &str => [serde_json::Value] }

#[cfg(feature = "rust_decimal")]
default_for! {
    &str => [rust_decimal::Decimal];
    i16 => [rust_decimal::Decimal];
    i32 => [rust_decimal::Decimal];
    i64 => [rust_decimal::Decimal];
    f64 => [rust_decimal::Decimal];
}

#[cfg(feature = "chrono")]
default_for! {
    &str => [
        chrono::NaiveDate,
        chrono::NaiveTime,
        chrono::NaiveDateTime,
        chrono::DateTime<chrono::Utc>,
        chrono::DateTime<chrono::FixedOffset>
    ];
}

#[cfg(feature = "time")]
default_for! {
    &str => [time::Date, time::Time, time::PrimitiveDateTime, time::OffsetDateTime];
}
