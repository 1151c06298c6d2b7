//! The code behind Strata's derives, as a plain library: each derive takes
//! the input tokens and returns the generated tokens (or `compile_error!`
//! tokens pointing at the offending attribute). `strata-macros` is the thin
//! `proc-macro` shim; keeping the work here makes it unit-testable.
//!
//! The generated code calls the runtime builders of `strata::decl`, which
//! own naming and canonical spellings; this crate owns parsing and every
//! check that can be made at compile time.

mod attrs;
mod docs;
mod from_row;
mod names;
mod pg_enum;
mod table;

use proc_macro2::TokenStream;

/// `#[derive(Table)]`.
pub fn derive_table(input: TokenStream) -> TokenStream {
    let expanded = syn::parse2::<syn::DeriveInput>(input).and_then(|i| {
        let mut tokens = table::expand(&i)?;
        tokens.extend(from_row::expand(&i));
        Ok(tokens)
    });
    match expanded {
        Ok(tokens) => tokens,
        Err(e) => e.to_compile_error(),
    }
}

/// `#[derive(PgEnum)]`.
pub fn derive_pg_enum(input: TokenStream) -> TokenStream {
    match syn::parse2::<syn::DeriveInput>(input).and_then(|i| pg_enum::expand(&i)) {
        Ok(tokens) => tokens,
        Err(e) => e.to_compile_error(),
    }
}
