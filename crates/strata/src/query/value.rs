//! Rust values <-> query parameters and result cells.
//!
//! [`Value`] is what a column may hold in a query: it can be bound as a
//! parameter and decoded from a row. Its `Kind` is the type with `Option`
//! stripped, so `Option<String>` and `String` columns compare with each
//! other while `i32` and `String` do not. What may stand on the value side
//! of a comparison is [`Operand`] (`&str` for a `String` column too).

use super::cells::Cells;
use super::error::QueryError;
use super::expr::{Node, Operand};
use super::row::OrNull;
use super::scope::{null, Nullability};
use crate::pg_enum::PgEnum;
use std::error::Error as StdError;
use tokio_postgres::types::{to_sql_checked, FromSql, IsNull, Kind, ToSql, Type};

/// A boxed, owned query parameter.
pub type Param = Box<dyn ToSql + Sync + Send>;

/// A type a column can hold in a query: bound as a parameter, decoded from
/// a result cell.
#[diagnostic::on_unimplemented(
    message = "`{Self}` cannot be a query value",
    label = "no `strata::query::Value` for this type",
    note = "query values are i16, i32, i64, f32, f64, bool, String, Vec<u8>, Option<T>, the enabled feature types (chrono, uuid, time, rust_decimal, serde_json) and #[derive(PgEnum)] enums with `strata::from_label!`"
)]
pub trait Value: OrNull + Sized + Send + Sync + 'static {
    /// The type with `Option` removed: values of the same kind compare,
    /// and a possibly NULL result of this type reads as `Option<Kind>`.
    type Kind: Value;
    /// [`null::Maybe`] for an `Option`, [`null::No`] otherwise.
    type Null: Nullability;
    /// This value as a parameter.
    fn into_param(self) -> Param;
    /// Decodes the cell at `idx`; NULL is an error unless `Self` is an `Option`.
    fn decode<C: Cells>(row: &C, idx: usize) -> Result<Self, QueryError>;
    /// Decodes the cell at `idx`, NULL as `None`.
    fn decode_nullable<C: Cells>(row: &C, idx: usize) -> Result<Option<Self>, QueryError>;
}

/// One cell as a value (the `FromRow` of every [`Value`]).
pub fn cell_from_row<V: Value, C: Cells>(row: &C, at: &mut usize) -> Result<V, QueryError> {
    let v = V::decode(row, *at)?;
    *at += 1;
    Ok(v)
}

/// One cell as a value, NULL as `None`.
pub fn cell_or_null<V: Value, C: Cells>(row: &C, at: &mut usize) -> Result<Option<V>, QueryError> {
    let v = V::decode_nullable(row, *at)?;
    *at += 1;
    Ok(v)
}

/// `FromRow` and `OrNull` of a value type, one cell each. Written per type
/// (not as one impl over every `Value`) so that `Option<T>` of a table
/// can decode too: `Option<X>` has one impl, over `OrNull`.
#[doc(hidden)]
#[macro_export]
macro_rules! __value_from_row {
    ($t:ty) => {
        impl $crate::query::FromRow for $t {
            fn from_row<C: $crate::query::Cells>(
                row: &C,
                at: &mut usize,
            ) -> ::core::result::Result<Self, $crate::query::QueryError> {
                $crate::query::__private::cell_from_row(row, at)
            }
        }
        impl $crate::query::OrNull for $t {
            type Optional = ::core::option::Option<$t>;
            fn from_row_or_null<C: $crate::query::Cells>(
                row: &C,
                at: &mut usize,
            ) -> ::core::result::Result<::core::option::Option<Self>, $crate::query::QueryError>
            {
                $crate::query::__private::cell_or_null(row, at)
            }
        }
    };
}

macro_rules! builtin_values {
    ($($t:ty),* $(,)?) => {$(
        crate::__value_from_row!($t);
        impl Value for $t {
            type Kind = $t;
            type Null = null::No;
            fn into_param(self) -> Param {
                Box::new(self)
            }
            fn decode<C: Cells>(row: &C, idx: usize) -> Result<Self, QueryError> {
                row.cell(idx)
            }
            fn decode_nullable<C: Cells>(row: &C, idx: usize) -> Result<Option<Self>, QueryError> {
                row.cell(idx)
            }
        }
        impl Operand<$t> for $t {
            type Source = ();
            type Null = null::No;
            fn into_node(self) -> Node {
                Node::Param(Box::new(self))
            }
        }
    )*};
}

builtin_values!(
    i16,
    i32,
    i64,
    f32,
    f64,
    bool,
    String,
    Vec<u8>,
    Vec<i16>,
    Vec<i32>,
    Vec<i64>,
    Vec<f32>,
    Vec<f64>,
    Vec<bool>,
    Vec<String>,
);

#[cfg(feature = "chrono")]
builtin_values!(
    chrono::NaiveDate,
    chrono::NaiveTime,
    chrono::NaiveDateTime,
    chrono::DateTime<chrono::Utc>,
    chrono::DateTime<chrono::FixedOffset>,
);

#[cfg(feature = "uuid")]
builtin_values!(uuid::Uuid);

#[cfg(feature = "time")]
builtin_values!(
    time::Date,
    time::Time,
    time::PrimitiveDateTime,
    time::OffsetDateTime
);

#[cfg(feature = "rust_decimal")]
builtin_values!(rust_decimal::Decimal);

#[cfg(feature = "serde_json")]
builtin_values!(serde_json::Value);

impl Operand<String> for &str {
    type Source = ();
    type Null = null::No;
    fn into_node(self) -> Node {
        Node::Param(Box::new(self.to_owned()))
    }
}

impl<T: Value> OrNull for Option<T> {
    type Optional = Option<T>;
    fn from_row_or_null<C: Cells>(row: &C, at: &mut usize) -> Result<Option<Self>, QueryError> {
        cell_or_null(row, at)
    }
}

impl<T: Value> Value for Option<T> {
    type Kind = T::Kind;
    type Null = null::Maybe;
    fn into_param(self) -> Param {
        match self {
            Some(v) => v.into_param(),
            None => Box::new(None::<NullParam>),
        }
    }
    fn decode<C: Cells>(row: &C, idx: usize) -> Result<Self, QueryError> {
        T::decode_nullable(row, idx)
    }
    fn decode_nullable<C: Cells>(row: &C, idx: usize) -> Result<Option<Self>, QueryError> {
        T::decode_nullable(row, idx).map(Some)
    }
}

/// `Some(v)` compares like `v`; `None` is a NULL parameter (to test for
/// NULL use `is_null()`, since `= NULL` is never true). An expression
/// over it selects as `Option`, since it may be NULL.
impl<K, T: Operand<K, Source = ()>> Operand<K> for Option<T> {
    type Source = ();
    type Null = null::Maybe;
    fn into_node(self) -> Node {
        match self {
            Some(v) => v.into_node(),
            None => Node::Param(Box::new(None::<NullParam>)),
        }
    }
}

/// The type of a NULL parameter: accepted for any column type.
#[derive(Debug)]
struct NullParam;

impl ToSql for NullParam {
    fn to_sql(
        &self,
        _: &Type,
        _: &mut tokio_postgres::types::private::BytesMut,
    ) -> Result<IsNull, Box<dyn StdError + Sync + Send>> {
        Ok(IsNull::Yes)
    }
    fn accepts(_: &Type) -> bool {
        true
    }
    to_sql_checked!();
}

/// Turns a label back into a value of a `#[derive(PgEnum)]` enum, so enum
/// columns can be decoded. Implement it with [`crate::from_label!`] until
/// the derive provides it (the macro also lets `Option<E>` decode).
pub trait FromLabel: PgEnum + Sized {
    /// The variant whose label is `label`, if any.
    fn from_label(label: &str) -> Option<Self>;
}

/// Implements [`FromLabel`] for an enum from its variants (their labels
/// come from [`PgEnum::label`], so they are never written twice):
/// `strata::from_label!(StudentStatus: Active, Inactive);`.
#[macro_export]
macro_rules! from_label {
    ($ty:ty : $($variant:ident),+ $(,)?) => {
        impl $crate::query::FromLabel for $ty {
            fn from_label(label: &str) -> ::core::option::Option<Self> {
                [$(<$ty>::$variant),+]
                    .into_iter()
                    .find(|v| $crate::PgEnum::label(v) == label)
            }
        }
        $crate::__value_from_row!($ty);
    };
}

/// An enum label as a parameter of an enum-typed placeholder.
#[derive(Debug)]
struct EnumParam(&'static str);

impl ToSql for EnumParam {
    fn to_sql(
        &self,
        _: &Type,
        out: &mut tokio_postgres::types::private::BytesMut,
    ) -> Result<IsNull, Box<dyn StdError + Sync + Send>> {
        out.extend_from_slice(self.0.as_bytes());
        Ok(IsNull::No)
    }
    fn accepts(ty: &Type) -> bool {
        matches!(ty.kind(), Kind::Enum(_)) || *ty == Type::TEXT || *ty == Type::VARCHAR
    }
    to_sql_checked!();
}

/// An enum cell, read as its label.
struct EnumLabel<'a>(&'a str);

impl<'a> FromSql<'a> for EnumLabel<'a> {
    fn from_sql(_: &Type, raw: &'a [u8]) -> Result<Self, Box<dyn StdError + Sync + Send>> {
        Ok(EnumLabel(std::str::from_utf8(raw)?))
    }
    fn accepts(ty: &Type) -> bool {
        matches!(ty.kind(), Kind::Enum(_)) || *ty == Type::TEXT || *ty == Type::VARCHAR
    }
}

fn enum_from<E: FromLabel>(label: &str, idx: usize) -> Result<E, QueryError> {
    E::from_label(label).ok_or_else(|| QueryError::UnknownLabel {
        column: idx.to_string(),
        enum_type: E::NAME,
        label: label.to_string(),
    })
}

impl<E: FromLabel + OrNull + Send + Sync> Value for E {
    type Kind = E;
    type Null = null::No;
    fn into_param(self) -> Param {
        Box::new(EnumParam(self.label()))
    }
    fn decode<C: Cells>(row: &C, idx: usize) -> Result<Self, QueryError> {
        let l: EnumLabel<'_> = row.cell(idx)?;
        enum_from(l.0, idx)
    }
    fn decode_nullable<C: Cells>(row: &C, idx: usize) -> Result<Option<Self>, QueryError> {
        let l: Option<EnumLabel<'_>> = row.cell(idx)?;
        l.map(|l| enum_from(l.0, idx)).transpose()
    }
}

impl<E: FromLabel + Send + Sync> Operand<E> for E {
    type Source = ();
    type Null = null::No;
    fn into_node(self) -> Node {
        Node::Param(Box::new(EnumParam(self.label())))
    }
}
