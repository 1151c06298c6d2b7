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

#[cfg(test)]
mod tests {
    use super::*;
    use quote::quote;

    fn expand_table(input: TokenStream) -> String {
        derive_table(input).to_string()
    }

    #[test]
    fn a_table_gets_typed_columns_and_a_declaration() {
        let out = expand_table(quote! {
            #[strata(name = "users", schema = "app")]
            struct User {
                #[strata(primary_key, serial)]
                id: i32,
                #[strata(sql_type = "varchar(255)", unique)]
                email: Option<String>,
            }
        });
        assert!(
            out.contains("const ID : :: strata :: Column < User , i32 >"),
            "{out}"
        );
        assert!(
            out.contains("const TABLE_SCHEMA : & 'static str = \"app\""),
            "{out}"
        );
        assert!(
            out.contains("const TABLE_NAME : & 'static str = \"users\""),
            "{out}"
        );
        assert!(out.contains("& [\"id\" , \"email\"]"), "{out}");
        assert!(out.contains("Generator :: Serial"), "{out}");
        // An explicit SQL type takes nullability from the Rust `Option`.
        assert!(
            out.contains("ColumnDecl :: new (\"email\" , \"varchar(255)\" , true)"),
            "{out}"
        );
        assert!(!out.contains("compile_error"), "{out}");
    }

    #[test]
    fn the_default_table_name_is_the_snake_cased_struct() {
        let out = expand_table(quote! { struct UserRole { id: i32 } });
        assert!(
            out.contains("const TABLE_NAME : & 'static str = \"user_role\""),
            "{out}"
        );
        assert!(out.contains("\"public\""), "{out}");
    }

    #[test]
    fn mistakes_become_compile_errors_that_name_the_fix() {
        let cases = [
            (
                quote! { struct T { #[strata(primay_key)] id: i32 } },
                "unknown strata attribute `primay_key`",
            ),
            (
                quote! { struct T { #[strata(serial, identity)] id: i32 } },
                "either `serial` or `identity`",
            ),
            (
                quote! { #[strata(unique(nope))] struct T { id: i32 } },
                "no field `nope`",
            ),
            (
                quote! { struct T { #[strata(name = "a")] x: i32, a: i32 } },
                "both column `a`",
            ),
            (quote! { struct T(i32); }, "needs named fields"),
            (
                quote! { struct T { #[strata(default = 1, default_sql = "1")] x: i32 } },
                "either `default`",
            ),
        ];
        for (input, message) in cases {
            let out = expand_table(input);
            assert!(out.contains("compile_error"), "{out}");
            assert!(out.contains(message), "expected `{message}` in {out}");
        }
    }

    #[test]
    fn an_enum_gets_labels_and_renames() {
        let out = derive_pg_enum(quote! {
            #[strata(renamed_from = "feeling")]
            enum Mood { #[strata(renamed_from = "sad")] Low, #[strata(name = "HIGH")] High }
        })
        .to_string();
        assert!(
            out.contains("const NAME : & 'static str = \"mood\""),
            "{out}"
        );
        assert!(out.contains("& [\"low\" , \"HIGH\"]"), "{out}");
        assert!(out.contains("RenameKind :: Enum"), "{out}");
        assert!(out.contains("RenameKind :: EnumValue"), "{out}");
        let out = derive_pg_enum(quote! { enum E { A(i32) } }).to_string();
        assert!(out.contains("unit variant"), "{out}");
    }
}
