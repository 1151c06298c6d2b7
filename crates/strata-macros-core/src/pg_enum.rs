//! `#[derive(PgEnum)]`: a fieldless enum -> `impl strata::PgEnum`, plus
//! `SqlType` (columns of the type), `ArrayElement` and `DefaultValue`.

use crate::attrs::{self, once};
use crate::docs;
use crate::names::{checked, snake_case};
use proc_macro2::TokenStream;
use quote::quote;
use syn::{DeriveInput, LitStr};

pub(crate) fn expand(input: &DeriveInput) -> syn::Result<TokenStream> {
    let syn::Data::Enum(data) = &input.data else {
        return Err(syn::Error::new(
            input.ident.span(),
            "`#[derive(PgEnum)]` goes on an enum whose variants are the labels; for a table use `#[derive(Table)]`",
        ));
    };
    if !input.generics.params.is_empty() {
        return Err(syn::Error::new(
            input.ident.span(),
            "a PostgreSQL enum cannot be generic",
        ));
    }
    let (mut name, mut schema, mut renamed_from): (Option<LitStr>, Option<LitStr>, Option<LitStr>) =
        (None, None, None);
    attrs::for_each(&input.attrs, |meta| match attrs::key(meta).as_str() {
        "name" => once(meta, &mut name, attrs::string(meta)?),
        "schema" => once(meta, &mut schema, attrs::string(meta)?),
        "renamed_from" => once(meta, &mut renamed_from, attrs::string(meta)?),
        _ => Err(attrs::unknown(
            meta,
            "an enum",
            &["name", "schema", "renamed_from"],
        )),
    })?;
    for lit in [&name, &schema, &renamed_from].into_iter().flatten() {
        checked(lit)?;
    }
    if data.variants.is_empty() {
        return Err(syn::Error::new(
            input.ident.span(),
            "a PostgreSQL enum needs at least one label: add a variant",
        ));
    }
    let ident = &input.ident;
    let type_name = name
        .as_ref()
        .map_or_else(|| snake_case(&ident.to_string()), LitStr::value);
    let schema = schema
        .as_ref()
        .map_or_else(|| "public".to_string(), LitStr::value);

    let mut labels = Vec::new();
    let mut arms = Vec::new();
    let mut label_renames = Vec::new();
    let mut errors: Option<syn::Error> = None;
    for v in &data.variants {
        if !matches!(v.fields, syn::Fields::Unit) {
            let e = syn::Error::new(
                v.ident.span(),
                "a PostgreSQL enum label carries no data: make this a unit variant",
            );
            match &mut errors {
                Some(all) => all.combine(e),
                None => errors = Some(e),
            }
            continue;
        }
        let (mut label, mut old): (Option<LitStr>, Option<LitStr>) = (None, None);
        let parsed = attrs::for_each(&v.attrs, |meta| match attrs::key(meta).as_str() {
            "name" => once(meta, &mut label, attrs::string(meta)?),
            "renamed_from" => once(meta, &mut old, attrs::string(meta)?),
            _ => Err(attrs::unknown(
                meta,
                "an enum variant",
                &["name", "renamed_from"],
            )),
        });
        if let Err(e) = parsed.and_then(|()| {
            for lit in [&label, &old].into_iter().flatten() {
                checked(lit)?;
            }
            Ok(())
        }) {
            match &mut errors {
                Some(all) => all.combine(e),
                None => errors = Some(e),
            }
            continue;
        }
        let label = label
            .as_ref()
            .map_or_else(|| snake_case(&v.ident.to_string()), LitStr::value);
        if labels.contains(&label) {
            return Err(syn::Error::new(
                v.ident.span(),
                format!("label `{label}` is used twice: give one variant another `#[strata(name = \"...\")]`"),
            ));
        }
        let vi = &v.ident;
        arms.push(quote!(Self::#vi => #label));
        if let Some(old) = old {
            label_renames.push(quote!(renames.push(__p::RenameHint {
                kind: __p::RenameKind::EnumValue,
                old: ::std::vec![#schema.to_string(), __old_type.to_string(), #old.to_string()],
                new: #label.to_string(),
            });));
        }
        labels.push(label);
    }
    if let Some(e) = errors {
        return Err(e);
    }
    let old_type = renamed_from
        .as_ref()
        .map_or_else(|| type_name.clone(), LitStr::value);
    let type_rename = renamed_from.as_ref().map(|old| {
        quote!(renames.push(__p::RenameHint {
            kind: __p::RenameKind::Enum,
            old: ::std::vec![#schema.to_string(), #old.to_string()],
            new: #type_name.to_string(),
        });)
    });
    let comment = match docs::comment(&input.attrs) {
        Some(c) => quote!(::core::option::Option::Some(#c.to_string())),
        None => quote!(::core::option::Option::None),
    };

    Ok(quote! {
        impl ::strata::SqlType for #ident {
            fn sql_type() -> ::std::string::String {
                ::strata::schema::spell_qualified(&::strata::schema::QualifiedName::new(
                    <Self as ::strata::PgEnum>::SCHEMA,
                    <Self as ::strata::PgEnum>::NAME,
                ))
            }
        }

        impl ::strata::ArrayElement for #ident {}

        impl ::strata::DefaultValue for #ident {
            fn default_sql(&self, data_type: &str) -> ::std::string::String {
                ::strata::canonical::string_default(::strata::PgEnum::label(self), data_type)
            }
        }

        impl ::strata::DefaultFor<#ident> for #ident {}

        impl ::strata::PgEnum for #ident {
            const SCHEMA: &'static str = #schema;
            const NAME: &'static str = #type_name;
            const LABELS: &'static [&'static str] = &[#(#labels),*];

            fn label(&self) -> &'static str {
                match self {
                    #(#arms,)*
                }
            }

            fn declaration() -> ::strata::EnumDeclaration {
                use ::strata::__private as __p;
                let __old_type = #old_type;
                let _ = __old_type;
                let mut renames = ::std::vec::Vec::new();
                #type_rename
                #(#label_renames)*
                ::strata::EnumDeclaration {
                    enum_type: __p::EnumType {
                        name: __p::QualifiedName::new(#schema, #type_name),
                        labels: <Self as ::strata::PgEnum>::LABELS.iter().map(|l| l.to_string()).collect(),
                        comment: #comment,
                    },
                    renames,
                }
            }
        }
    })
}
