//! One `String` of SQL text plus the parameters it refers to.
//!
//! Values never enter the text: [`SqlWriter::param`] moves the value into
//! the parameter list and writes its placeholder (`$1`, `$2`, ...).
//! Identifiers go through [`strata_postgres::quote`].

use super::value::Param;
use std::fmt::Write;
use strata_postgres::quote::{ident, qualified};

/// SQL text and its parameters, built in one pass.
#[derive(Default)]
pub struct SqlWriter {
    sql: String,
    params: Vec<Param>,
    /// `(table, alias)`: inside a relational level a table is read under an
    /// alias; the innermost binding wins.
    aliases: Vec<(&'static str, String)>,
}

impl SqlWriter {
    /// An empty writer with room for a typical statement.
    pub fn new() -> Self {
        Self {
            sql: String::with_capacity(256),
            params: Vec::new(),
            aliases: Vec::new(),
        }
    }

    /// Appends SQL text that holds no value (keywords, operators).
    pub fn push(&mut self, sql: &str) {
        self.sql.push_str(sql);
    }

    /// Appends a quoted identifier.
    pub fn ident(&mut self, name: &str) {
        self.sql.push_str(&ident(name));
    }

    /// Appends a schema-qualified, quoted table name.
    pub fn table(&mut self, schema: &str, name: &str) {
        self.sql.push_str(&qualified(schema, name));
    }

    /// Appends `"table"."column"`, using the table's current alias.
    pub fn column(&mut self, table: &'static str, column: &str) {
        let alias = self
            .aliases
            .iter()
            .rev()
            .find(|(t, _)| *t == table)
            .map(|(_, a)| ident(a));
        match alias {
            Some(a) => self.sql.push_str(&a),
            None => self.sql.push_str(&ident(table)),
        }
        self.sql.push('.');
        self.sql.push_str(&ident(column));
    }

    /// Binds a value: moves it into the parameter list and writes `$n`.
    pub fn param(&mut self, value: Param) {
        self.params.push(value);
        let _ = write!(self.sql, "${}", self.params.len());
    }

    /// Adds a parameter whose placeholder the SQL text already holds.
    pub(crate) fn add_param(&mut self, value: Param) {
        self.params.push(value);
    }

    /// The SQL text so far.
    pub fn sql(&self) -> &str {
        &self.sql
    }

    /// The finished text and parameters.
    pub fn finish(self) -> (String, Vec<Param>) {
        (self.sql, self.params)
    }
}
