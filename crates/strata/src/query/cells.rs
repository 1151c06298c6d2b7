//! Where decoded cells come from: a result row, a record nested in one, or
//! a row of a relational load (see [`super::relations`]).
//!
//! Records (`ROW(...)`, alone or in an array) arrive in PostgreSQL's binary
//! format. Reading a record's fields with the same `FromSql` impls as a
//! row's cells means nested values decode exactly like top-level ones,
//! with no text or JSON round trip.

use super::error::QueryError;
use std::error::Error as StdError;
use tokio_postgres::types::{FromSql, Kind, Type};
use tokio_postgres::Row;

/// Positional cells: a [`Row`], a nested [`Record`], or a row of a
/// relational load.
pub trait Cells {
    /// The cells of one related row.
    type Related<'b>: Cells
    where
        Self: 'b;

    /// The related rows of one cell, in order.
    type RelatedRows<'b>: Iterator<Item = Self::Related<'b>>
    where
        Self: 'b;

    /// The cell at `idx` as `T`.
    fn cell<'a, T: FromSql<'a>>(&'a self, idx: usize) -> Result<T, QueryError>;

    /// The related rows that cell `idx` stands for. In a plain row or
    /// record it is a `record[]` cell (`array_agg(ROW(...))`, NULL is no
    /// rows); in a relational load, the rows of a nested level.
    fn related<'b>(&'b self, idx: usize) -> Result<Self::RelatedRows<'b>, QueryError>;
}

impl Cells for Row {
    type Related<'b> = Record<'b>;
    type RelatedRows<'b> = std::vec::IntoIter<Record<'b>>;

    fn related<'b>(&'b self, idx: usize) -> Result<Self::RelatedRows<'b>, QueryError> {
        self.cell::<Records<'b>>(idx).map(|r| r.0.into_iter())
    }

    fn cell<'a, T: FromSql<'a>>(&'a self, idx: usize) -> Result<T, QueryError> {
        self.try_get(idx).map_err(|source| QueryError::Decode {
            column: self
                .columns()
                .get(idx)
                .map_or_else(|| idx.to_string(), |c| c.name().to_string()),
            rust_type: std::any::type_name::<T>(),
            source,
        })
    }
}

/// One anonymous record: its fields' types and raw binary values.
pub struct Record<'a> {
    fields: Vec<(Type, Option<&'a [u8]>)>,
}

impl<'r> Record<'r> {
    /// How many fields the record has.
    pub fn len(&self) -> usize {
        self.fields.len()
    }

    /// Whether the record has no fields.
    pub fn is_empty(&self) -> bool {
        self.fields.is_empty()
    }
}

impl<'r> Cells for Record<'r> {
    type Related<'b>
        = Record<'b>
    where
        Self: 'b;
    type RelatedRows<'b>
        = std::vec::IntoIter<Record<'b>>
    where
        Self: 'b;

    fn related<'b>(&'b self, idx: usize) -> Result<Self::RelatedRows<'b>, QueryError> {
        self.cell::<Records<'b>>(idx).map(|r| r.0.into_iter())
    }

    fn cell<'a, T: FromSql<'a>>(&'a self, idx: usize) -> Result<T, QueryError> {
        let nested = |reason: String| QueryError::Nested {
            field: idx,
            rust_type: std::any::type_name::<T>(),
            reason,
        };
        let (ty, raw) = self
            .fields
            .get(idx)
            .ok_or_else(|| nested(format!("the record has {} fields", self.fields.len())))?;
        if !T::accepts(ty) {
            return Err(nested(format!("the field is of type `{}`", ty.name())));
        }
        T::from_sql_nullable(ty, *raw).map_err(|e| nested(e.to_string()))
    }
}

type BoxError = Box<dyn StdError + Sync + Send>;

/// A cell's raw binary value (`None` for NULL), whatever its type: to
/// learn whether a cell is NULL, or to compare keys by their bytes.
pub(crate) struct RawCell<'a>(pub(crate) Option<&'a [u8]>);

impl<'a> FromSql<'a> for RawCell<'a> {
    fn from_sql(_: &Type, raw: &'a [u8]) -> Result<Self, BoxError> {
        Ok(RawCell(Some(raw)))
    }
    fn from_sql_null(_: &Type) -> Result<Self, BoxError> {
        Ok(RawCell(None))
    }
    fn accepts(_: &Type) -> bool {
        true
    }
}

fn take<'a>(buf: &mut &'a [u8], n: usize) -> Result<&'a [u8], BoxError> {
    if buf.len() < n {
        return Err("truncated binary value".into());
    }
    let (head, rest) = buf.split_at(n);
    *buf = rest;
    Ok(head)
}

fn int(buf: &mut &[u8]) -> Result<i32, BoxError> {
    let b = take(buf, 4)?;
    Ok(i32::from_be_bytes([b[0], b[1], b[2], b[3]]))
}

/// A length-prefixed value; -1 is NULL.
fn value<'a>(buf: &mut &'a [u8]) -> Result<Option<&'a [u8]>, BoxError> {
    let len = int(buf)?;
    if len < 0 {
        return Ok(None);
    }
    Ok(Some(take(buf, len as usize)?))
}

/// A field type by OID. Types the client library does not know are user
/// types: PostgreSQL sends an enum value as its label, so an enum kind
/// lets enum columns decode (others fail with the type named).
fn field_type(oid: u32) -> Type {
    Type::from_oid(oid).unwrap_or_else(|| {
        Type::new(
            format!("oid {oid}"),
            oid,
            Kind::Enum(Vec::new()),
            String::new(),
        )
    })
}

fn parse_record(mut buf: &[u8]) -> Result<Record<'_>, BoxError> {
    let n = int(&mut buf)?;
    let mut fields = Vec::with_capacity(n.max(0) as usize);
    for _ in 0..n {
        let oid = int(&mut buf)? as u32;
        fields.push((field_type(oid), value(&mut buf)?));
    }
    Ok(Record { fields })
}

/// One `record` cell (`ROW(...)`).
impl<'a> FromSql<'a> for Record<'a> {
    fn from_sql(_: &Type, buf: &'a [u8]) -> Result<Self, BoxError> {
        parse_record(buf)
    }

    fn accepts(ty: &Type) -> bool {
        *ty == Type::RECORD
    }
}

/// `record[]`: the rows of one related level (NULL, from an aggregate over
/// no rows, is empty).
pub struct Records<'a>(pub(crate) Vec<Record<'a>>);

impl<'a> FromSql<'a> for Records<'a> {
    fn from_sql(_: &Type, mut buf: &'a [u8]) -> Result<Self, BoxError> {
        let dims = int(&mut buf)?;
        let _has_nulls = int(&mut buf)?;
        let _element_oid = int(&mut buf)?;
        let mut count = if dims == 0 { 0 } else { 1usize };
        for _ in 0..dims {
            let len = int(&mut buf)?;
            let _lower_bound = int(&mut buf)?;
            count *= len.max(0) as usize;
        }
        let mut records = Vec::with_capacity(count);
        for _ in 0..count {
            match value(&mut buf)? {
                Some(raw) => records.push(parse_record(raw)?),
                None => return Err("a NULL record in a related level".into()),
            }
        }
        Ok(Records(records))
    }

    fn from_sql_null(_: &Type) -> Result<Self, BoxError> {
        Ok(Records(Vec::new()))
    }

    fn accepts(ty: &Type) -> bool {
        *ty == Type::RECORD_ARRAY
    }
}
