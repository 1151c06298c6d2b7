//! The query side of `#[derive(Table)]`: decoding a row into the struct
//! (`impl strata::query::FromRow`) and the insertable row `New<Struct>`
//! (`impl strata::query::InsertRow`).
//!
//! Runs after the table derive has accepted the input, so the attributes
//! are known to be valid; it only reads the keys that decide whether a
//! column must be given on insert (`serial`, `identity`, `default`,
//! `default_sql`, `generated`).
//!
//! The impls' bounds are written `for<'__strata> FieldType: Trait`: a bound
//! under a binder is checked where the impl is *used*, not where it is
//! declared, so a table with a field type the query builder cannot decode
//! still compiles (it just cannot be queried as a whole row).

use crate::attrs;
use crate::names::unraw;
use proc_macro2::TokenStream;
use quote::{format_ident, quote};
use syn::{DeriveInput, Ident, Type};

/// How a field takes part in an INSERT.
enum InsertKind {
    /// Must be given: NOT NULL, no default.
    Required,
    /// May be left out: DEFAULT (or NULL) when `None`.
    Optional,
    /// Never written: a generated column.
    Skipped,
}

fn insert_kind(field: &syn::Field) -> InsertKind {
    let mut defaulted = false;
    let mut generated = false;
    // Errors cannot happen here: the table derive parsed these attributes.
    let _ = attrs::for_each(&field.attrs, |meta| {
        let k = attrs::key(meta);
        match k.as_str() {
            "serial" | "identity" | "default" | "default_sql" => defaulted = true,
            "generated" => generated = true,
            _ => {}
        }
        // Consume the key's value or list so parsing goes on to the next key.
        if meta.input.peek(syn::Token![=]) {
            let _: syn::Expr = meta.value()?.parse()?;
        } else if meta.input.peek(syn::token::Paren) {
            let _ = meta.parse_nested_meta(|inner| {
                let _ = inner.input.parse::<TokenStream>();
                Ok(())
            });
        }
        Ok(())
    });
    if generated {
        InsertKind::Skipped
    } else if defaulted || is_option(&field.ty) {
        InsertKind::Optional
    } else {
        InsertKind::Required
    }
}

fn is_option(ty: &Type) -> bool {
    option_inner(ty).is_some()
}

/// `X` of `Option<X>`.
fn option_inner(ty: &Type) -> Option<&Type> {
    let Type::Path(p) = ty else { return None };
    let last = p.path.segments.last()?;
    if last.ident != "Option" {
        return None;
    }
    let syn::PathArguments::AngleBracketed(args) = &last.arguments else {
        return None;
    };
    match args.args.first()? {
        syn::GenericArgument::Type(t) => Some(t),
        _ => None,
    }
}

/// `impl FromRow` and `New<Struct>` for a struct the table derive accepted.
pub(crate) fn expand(input: &DeriveInput) -> TokenStream {
    let syn::Data::Struct(data) = &input.data else {
        return TokenStream::new();
    };
    let syn::Fields::Named(named) = &data.fields else {
        return TokenStream::new();
    };
    let ident = &input.ident;
    let vis = &input.vis;
    let fields: Vec<(&Ident, &Type, InsertKind)> = named
        .named
        .iter()
        .filter_map(|f| Some((f.ident.as_ref()?, &f.ty, insert_kind(f))))
        .collect();

    let idents: Vec<&Ident> = fields.iter().map(|f| f.0).collect();
    let types: Vec<&Type> = fields.iter().map(|f| f.1).collect();
    let from_row = quote! {
        impl ::strata::query::FromRow for #ident
        where
            #(for<'__strata> #types: ::strata::query::Value,)*
        {
            fn from_row<C: ::strata::query::Cells>(
                row: &C,
                at: &mut usize,
            ) -> ::core::result::Result<Self, ::strata::query::QueryError> {
                ::core::result::Result::Ok(Self {
                    #(#idents: <#types as ::strata::query::FromRow>::from_row(row, at)?,)*
                })
            }
        }
    };

    let new_ident = format_ident!("New{}", ident);
    let mut struct_fields = Vec::new();
    let mut required_args = Vec::new();
    let mut inits = Vec::new();
    let mut setters = Vec::new();
    let mut cells = Vec::new();
    let mut columns = Vec::new();
    let mut bounds = Vec::new();
    let mut marks = Vec::new();
    for (f, ty, kind) in &fields {
        let c = format_ident!("{}", unraw(f).to_uppercase());
        match kind {
            InsertKind::Skipped => continue,
            InsertKind::Required => {
                let doc = format!("The `{}` column (required).", unraw(f));
                struct_fields.push(quote!(#[doc = #doc] pub #f: #ty));
                required_args.push(quote!(#f: impl ::core::convert::Into<#ty>));
                inits.push(quote!(#f: #f.into()));
                let j = columns.len();
                cells.push(quote!(::strata::query::__private::cell(w, &mut first, self.#f);));
                marks.push(quote!(given[#j] = true;));
            }
            InsertKind::Optional => {
                let doc = format!("The `{}` column; `None` writes DEFAULT.", unraw(f));
                struct_fields.push(quote!(#[doc = #doc] pub #f: ::core::option::Option<#ty>));
                inits.push(quote!(#f: ::core::option::Option::None));
                let sdoc = format!("Sets `{}` (instead of its default).", unraw(f));
                // A nullable column's setter takes the value itself.
                let (arg, set) = match option_inner(ty) {
                    Some(inner) => (
                        inner,
                        quote!(::core::option::Option::Some(::core::option::Option::Some(
                            value.into()
                        ))),
                    ),
                    None => (*ty, quote!(::core::option::Option::Some(value.into()))),
                };
                setters.push(quote! {
                    #[doc = #sdoc]
                    pub fn #f(mut self, value: impl ::core::convert::Into<#arg>) -> Self {
                        self.#f = #set;
                        self
                    }
                });
                let j = columns.len();
                cells.push(quote! {
                    if columns[#j] {
                        ::strata::query::__private::cell_or_default(w, &mut first, self.#f);
                    }
                });
                marks.push(quote! {
                    if self.#f.is_some() {
                        given[#j] = true;
                    }
                });
            }
        }
        columns.push(quote!(#ident::#c.name()));
        bounds.push(quote!(for<'__strata> #ty: ::strata::query::Value,));
    }
    let struct_doc = format!(
        "A row to insert into `{ident}`: required columns are plain fields (and `new`'s arguments), the others `Option`s (`None` = DEFAULT)."
    );
    let new_doc = "A row with the required columns; the others take their defaults.";
    quote! {
        #from_row

        #[doc = #struct_doc]
        #vis struct #new_ident {
            #(#struct_fields,)*
        }

        impl #new_ident {
            #[doc = #new_doc]
            #[allow(clippy::too_many_arguments)]
            pub fn new(#(#required_args),*) -> Self {
                Self { #(#inits,)* }
            }
            #(#setters)*
        }

        impl ::strata::query::InsertRow for #new_ident
        where
            #(#bounds)*
        {
            type Table = #ident;
            const COLUMNS: &'static [&'static str] = &[#(#columns),*];
            fn mark_given(&self, given: &mut [bool]) {
                #(#marks)*
            }
            #[allow(unused_variables, unused_mut)]
            fn write_values(self, w: &mut ::strata::query::SqlWriter, columns: &[bool]) {
                let mut first = true;
                #(#cells)*
            }
        }
    }
}
