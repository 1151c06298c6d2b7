//! The escape hatch: a whole statement written in SQL, with bound, typed
//! parameters and typed rows.

use super::row::FromRow;
use super::sql_writer::SqlWriter;
use super::statement::Statement;
use super::value::{Param, Value};
use std::borrow::Cow;
use std::marker::PhantomData;

/// A statement in SQL text whose rows decode as `Out`; its `$1`, `$2`, ...
/// are the values given to [`Raw::bind`], in order.
#[must_use]
pub struct Raw<Out> {
    sql: Cow<'static, str>,
    params: Vec<Param>,
    marker: PhantomData<fn() -> Out>,
}

/// `raw::<(i32, String)>("SELECT id, email FROM users WHERE id = $1").bind(7)`.
/// Write values as `$n` and bind them: never format them into the text.
pub fn raw<Out: FromRow>(sql: impl Into<Cow<'static, str>>) -> Raw<Out> {
    Raw {
        sql: sql.into(),
        params: Vec::new(),
        marker: PhantomData,
    }
}

impl<Out> Raw<Out> {
    /// Binds the next parameter.
    pub fn bind<V: Value>(mut self, value: V) -> Self {
        self.params.push(value.into_param());
        self
    }
}

impl<Out: FromRow> Statement for Raw<Out> {
    type Output = Out;
    fn write(self, w: &mut SqlWriter) {
        w.push(&self.sql);
        for p in self.params {
            w.add_param(p);
        }
    }
}
