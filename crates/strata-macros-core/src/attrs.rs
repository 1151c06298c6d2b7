//! Pieces shared by the attribute parsers: `#[strata(...)]` iteration,
//! values, lists, and the error for an unknown key.

use proc_macro2::TokenStream;
use quote::quote;
use syn::meta::ParseNestedMeta;
use syn::punctuated::Punctuated;
use syn::{Ident, LitStr, Path, Token};

/// Runs `each` for every key of every `#[strata(...)]` attribute, collecting
/// all errors instead of stopping at the first.
pub(crate) fn for_each(
    attrs: &[syn::Attribute],
    mut each: impl FnMut(&ParseNestedMeta<'_>) -> syn::Result<()>,
) -> syn::Result<()> {
    let mut errors: Option<syn::Error> = None;
    for attr in attrs.iter().filter(|a| a.path().is_ident("strata")) {
        if let Err(e) = attr.parse_nested_meta(|meta| each(&meta)) {
            match &mut errors {
                Some(all) => all.combine(e),
                None => errors = Some(e),
            }
        }
    }
    errors.map_or(Ok(()), Err)
}

/// `key = "text"`.
pub(crate) fn string(meta: &ParseNestedMeta<'_>) -> syn::Result<LitStr> {
    meta.value()?.parse()
}

/// The key's name, for messages.
pub(crate) fn key(meta: &ParseNestedMeta<'_>) -> String {
    let path = &meta.path;
    path.get_ident()
        .map_or_else(|| quote!(#path).to_string(), Ident::to_string)
}

/// The error for a key this position does not know, listing the ones it does.
pub(crate) fn unknown(meta: &ParseNestedMeta<'_>, place: &str, known: &[&str]) -> syn::Error {
    meta.error(format!(
        "unknown strata attribute `{}` on {place}; expected one of: {}",
        key(meta),
        known.join(", ")
    ))
}

/// Sets `slot` once; a second occurrence is an error at the key.
pub(crate) fn once<T>(
    meta: &ParseNestedMeta<'_>,
    slot: &mut Option<T>,
    value: T,
) -> syn::Result<()> {
    if slot.is_some() {
        return Err(meta.error(format!("`{}` is given twice: keep one", key(meta))));
    }
    *slot = Some(value);
    Ok(())
}

/// `key(a, b, c)`: identifiers.
pub(crate) fn idents(meta: &ParseNestedMeta<'_>) -> syn::Result<Vec<Ident>> {
    let content;
    syn::parenthesized!(content in meta.input);
    let list = Punctuated::<Ident, Token![,]>::parse_terminated(&content)?;
    if list.is_empty() {
        return Err(meta.error(format!("`{}(...)` needs at least one column", key(meta))));
    }
    Ok(list.into_iter().collect())
}

/// `key(A::X, B::Y)`: paths.
pub(crate) fn paths(meta: &ParseNestedMeta<'_>) -> syn::Result<Vec<Path>> {
    let content;
    syn::parenthesized!(content in meta.input);
    let list = Punctuated::<Path, Token![,]>::parse_terminated(&content)?;
    Ok(list.into_iter().collect())
}

/// `key("a", "b")`: strings.
pub(crate) fn strings(meta: &ParseNestedMeta<'_>) -> syn::Result<Vec<LitStr>> {
    let content;
    syn::parenthesized!(content in meta.input);
    let list = Punctuated::<LitStr, Token![,]>::parse_terminated(&content)?;
    Ok(list.into_iter().collect())
}

/// `on_delete = "cascade"` and friends, as a `strata_schema::FkAction` path.
pub(crate) fn fk_action(lit: &LitStr) -> syn::Result<TokenStream> {
    let v = lit.value().to_ascii_lowercase().replace('_', " ");
    let variant = match v.trim() {
        "no action" => quote!(NoAction),
        "restrict" => quote!(Restrict),
        "cascade" => quote!(Cascade),
        "set null" => quote!(SetNull),
        "set default" => quote!(SetDefault),
        _ => {
            return Err(syn::Error::new(
                lit.span(),
                format!(
                    "unknown foreign key action `{}`; expected \"cascade\", \"restrict\", \"set null\", \"set default\" or \"no action\"",
                    lit.value()
                ),
            ))
        }
    };
    Ok(quote!(::strata::__private::FkAction::#variant))
}

/// `deferrable = "initially deferred"` / `"initially immediate"`.
pub(crate) fn deferrable(lit: &LitStr) -> syn::Result<TokenStream> {
    let v = lit.value().to_ascii_lowercase().replace('_', " ");
    let variant = match v.trim() {
        "initially immediate" | "immediate" => quote!(InitiallyImmediate),
        "initially deferred" | "deferred" => quote!(InitiallyDeferred),
        "not deferrable" => quote!(NotDeferrable),
        _ => {
            return Err(syn::Error::new(
                lit.span(),
                format!(
                    "unknown `deferrable` value `{}`; expected \"initially immediate\" or \"initially deferred\"",
                    lit.value()
                ),
            ))
        }
    };
    Ok(quote!(::strata::__private::Deferrable::#variant))
}

/// Consumes an optional `= value` or `(...)` after a flag the caller ignores.
pub(crate) fn no_value(meta: &ParseNestedMeta<'_>) -> syn::Result<()> {
    if meta.input.peek(Token![=]) || meta.input.peek(syn::token::Paren) {
        return Err(meta.error(format!("`{}` takes no value: write it alone", key(meta))));
    }
    Ok(())
}
