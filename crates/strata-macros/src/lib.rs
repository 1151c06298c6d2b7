//! Strata's derives. This crate is only the `proc-macro` entry points: the
//! work happens in `strata-macros-core`, a plain library that can be unit
//! tested. Use the derives through the `strata` crate (`strata::Table`,
//! `strata::PgEnum`), whose documentation describes the attributes.

use proc_macro::TokenStream;

/// `#[derive(Table)]`: see `strata::Table`.
#[proc_macro_derive(Table, attributes(strata))]
pub fn derive_table(input: TokenStream) -> TokenStream {
    strata_macros_core::derive_table(input.into()).into()
}

/// `#[derive(PgEnum)]`: see `strata::PgEnum`.
#[proc_macro_derive(PgEnum, attributes(strata))]
pub fn derive_pg_enum(input: TokenStream) -> TokenStream {
    strata_macros_core::derive_pg_enum(input.into()).into()
}
