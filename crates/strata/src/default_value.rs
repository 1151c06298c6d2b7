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
