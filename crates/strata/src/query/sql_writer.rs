//! One `String` of SQL text plus the parameters it refers to.
//!
//! Values never enter the text: [`SqlWriter::param`] moves the value into
//! the parameter list and writes its placeholder (`$1`, `$2`, ...).
//! Identifiers go through [`strata_postgres::quote`] (`push_ident`, the
//! allocation-free form of `ident`).

use super::value::Param;
use strata_postgres::quote::push_ident;

/// SQL text and its parameters, built in one pass.
#[derive(Default)]
pub struct SqlWriter {
    sql: String,
    params: Vec<Param>,
}

impl SqlWriter {
    /// An empty writer with room for a typical statement.
    pub fn new() -> Self {
        Self {
            sql: String::with_capacity(256),
            params: Vec::new(),
        }
    }

    /// Appends SQL text that holds no value (keywords, operators).
    pub fn push(&mut self, sql: &str) {
        self.sql.push_str(sql);
    }

    /// Appends a quoted identifier.
    pub fn ident(&mut self, name: &str) {
        push_ident(&mut self.sql, name);
    }

    /// Appends a schema-qualified, quoted table name.
    pub fn table(&mut self, schema: &str, name: &str) {
        push_ident(&mut self.sql, schema);
        self.sql.push('.');
        push_ident(&mut self.sql, name);
    }

    /// Appends `"table"."column"`.
    pub fn column(&mut self, table: &str, column: &str) {
        push_ident(&mut self.sql, table);
        self.sql.push('.');
        push_ident(&mut self.sql, column);
    }

    /// Binds a value: moves it into the parameter list and writes `$n`.
    pub fn param(&mut self, value: Param) {
        self.params.push(value);
        self.sql.push('$');
        push_number(&mut self.sql, self.params.len());
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

/// Appends `n` in decimal, without the formatting machinery (a statement
/// writes one per parameter).
fn push_number(sql: &mut String, mut n: usize) {
    let mut digits = [0u8; 20];
    let mut at = digits.len();
    loop {
        at -= 1;
        digits[at] = b'0' + (n % 10) as u8;
        n /= 10;
        if n == 0 {
            break;
        }
    }
    for d in &digits[at..] {
        sql.push(char::from(*d));
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn numbers_are_written_in_decimal() {
        for n in [0, 1, 9, 10, 99, 100, 65_535, usize::MAX] {
            let mut s = String::new();
            super::push_number(&mut s, n);
            assert_eq!(s, n.to_string());
        }
    }
}
