//! `#[derive(Table)]`: struct + field attributes -> `impl strata::Table`
//! and one typed column const per field.

use crate::attrs::{self, once};
use crate::docs;
use crate::names::{checked, snake_case, unraw};
use proc_macro2::{Span, TokenStream};
use quote::{format_ident, quote, quote_spanned};
use syn::spanned::Spanned;
use syn::{DeriveInput, Expr, Ident, LitStr, Path, Type};

const FIELD_KEYS: &[&str] = &[
    "name",
    "renamed_from",
    "sql_type",
    "collation",
    "primary_key",
    "unique",
    "index",
    "check",
    "serial",
    "identity",
    "default",
    "default_sql",
    "generated",
    "references",
    "on_delete",
    "on_update",
    "deferrable",
];

const STRUCT_KEYS: &[&str] = &[
    "name",
    "schema",
    "renamed_from",
    "primary_key",
    "unique",
    "index",
    "foreign_key",
    "check",
    "row_level_security",
    "policy",
];

/// What the attributes of one field say.
#[derive(Default)]
struct FieldAttrs {
    name: Option<LitStr>,
    renamed_from: Option<LitStr>,
    sql_type: Option<LitStr>,
    collation: Option<LitStr>,
    primary_key: Option<Span>,
    unique: Option<Option<LitStr>>,
    index: Option<Span>,
    check: Option<LitStr>,
    serial: Option<Span>,
    identity: Option<(Span, bool)>,
    default: Option<Expr>,
    default_sql: Option<LitStr>,
    generated: Option<LitStr>,
    references: Option<Path>,
    on_delete: Option<LitStr>,
    on_update: Option<LitStr>,
    deferrable: Option<LitStr>,
}

struct Field<'a> {
    ident: &'a Ident,
    vis: &'a syn::Visibility,
    ty: &'a Type,
    sql_name: String,
    attrs: FieldAttrs,
    comment: Option<String>,
}

impl Field<'_> {
    /// The field's type for `SqlType` checks, or `None` with an explicit
    /// `sql_type` (the Rust type need not implement `SqlType` then).
    fn typed(&self) -> Option<&Type> {
        self.attrs.sql_type.is_none().then_some(self.ty)
    }
}

fn parse_field(field: &syn::Field) -> syn::Result<FieldAttrs> {
    let mut a = FieldAttrs::default();
    attrs::for_each(&field.attrs, |meta| {
        let k = attrs::key(meta);
        match k.as_str() {
            "name" => once(meta, &mut a.name, attrs::string(meta)?),
            "renamed_from" => once(meta, &mut a.renamed_from, attrs::string(meta)?),
            "sql_type" => once(meta, &mut a.sql_type, attrs::string(meta)?),
            "collation" => once(meta, &mut a.collation, attrs::string(meta)?),
            "primary_key" => {
                if meta.input.peek(syn::token::Paren) {
                    return Err(meta.error(
                        "a composite primary key is declared on the struct: \
                         `#[strata(primary_key(a, b))]` above `struct`; on a field write `#[strata(primary_key)]`",
                    ));
                }
                attrs::no_value(meta)?;
                once(meta, &mut a.primary_key, meta.path.span())
            }
            "unique" => {
                let name = if meta.input.peek(syn::Token![=]) {
                    Some(attrs::string(meta)?)
                } else {
                    attrs::no_value(meta)?;
                    None
                };
                once(meta, &mut a.unique, name)
            }
            "index" => {
                attrs::no_value(meta)?;
                once(meta, &mut a.index, meta.path.span())
            }
            "check" => once(meta, &mut a.check, attrs::string(meta)?),
            "serial" => {
                attrs::no_value(meta)?;
                once(meta, &mut a.serial, meta.path.span())
            }
            "identity" => {
                let mut always = false;
                if meta.input.peek(syn::token::Paren) {
                    meta.parse_nested_meta(|inner| {
                        if inner.path.is_ident("always") {
                            always = true;
                            Ok(())
                        } else {
                            Err(inner.error(
                                "expected `identity(always)` or plain `identity` (BY DEFAULT)",
                            ))
                        }
                    })?;
                }
                once(meta, &mut a.identity, (meta.path.span(), always))
            }
            "default" => once(meta, &mut a.default, meta.value()?.parse()?),
            "default_sql" => once(meta, &mut a.default_sql, attrs::string(meta)?),
            "generated" => once(meta, &mut a.generated, attrs::string(meta)?),
            "references" => once(meta, &mut a.references, meta.value()?.parse()?),
            "on_delete" => once(meta, &mut a.on_delete, attrs::string(meta)?),
            "on_update" => once(meta, &mut a.on_update, attrs::string(meta)?),
            "deferrable" => once(meta, &mut a.deferrable, attrs::string(meta)?),
            _ => Err(attrs::unknown(meta, "a field", FIELD_KEYS)),
        }
    })?;
    check_field(field, &a)?;
    Ok(a)
}

/// Combinations that cannot be right, reported at the attribute.
fn check_field(field: &syn::Field, a: &FieldAttrs) -> syn::Result<()> {
    let sequence = a.serial.or(a.identity.map(|(s, _)| s));
    if let (Some(_), Some((span, _))) = (a.serial, a.identity) {
        return Err(syn::Error::new(
            span,
            "a column is either `serial` or `identity`, not both: keep one",
        ));
    }
    if let Some(span) = sequence {
        if a.default.is_some() || a.default_sql.is_some() {
            return Err(syn::Error::new(
                span,
                "a serial or identity column gets its values from a sequence: remove its `default`",
            ));
        }
        if a.generated.is_some() {
            return Err(syn::Error::new(
                span,
                "a generated column cannot also be serial or identity: keep one",
            ));
        }
    }
    if a.default.is_some() && a.default_sql.is_some() {
        return Err(syn::Error::new(
            a.default_sql.as_ref().map_or(field.span(), LitStr::span),
            "give either `default` (a Rust value) or `default_sql` (an SQL expression), not both",
        ));
    }
    if let (Some(g), true) = (&a.generated, a.default.is_some() || a.default_sql.is_some()) {
        return Err(syn::Error::new(
            g.span(),
            "a generated column has no default: remove `default` or `generated`",
        ));
    }
    if a.references.is_none() {
        let fk_option = [&a.on_delete, &a.on_update, &a.deferrable]
            .into_iter()
            .flatten()
            .next();
        if let Some(lit) = fk_option {
            return Err(syn::Error::new(
                lit.span(),
                "`on_delete`, `on_update` and `deferrable` belong to a foreign key: add `references = Table::COLUMN` to this field",
            ));
        }
    }
    for lit in [&a.on_delete, &a.on_update].into_iter().flatten() {
        attrs::fk_action(lit)?;
    }
    if let Some(lit) = &a.deferrable {
        attrs::deferrable(lit)?;
    }
    for lit in [&a.name, &a.renamed_from].into_iter().flatten() {
        checked(lit)?;
    }
    if let Some(Some(lit)) = &a.unique {
        checked(lit)?;
    }
    Ok(())
}

/// Struct-level declarations, already turned into builder calls.
#[derive(Default)]
struct StructAttrs {
    name: Option<LitStr>,
    schema: Option<LitStr>,
    renamed_from: Option<LitStr>,
    primary_key: Option<(Span, Vec<Ident>, Option<LitStr>)>,
    calls: Vec<TokenStream>,
    /// Column idents used by struct-level declarations, checked against the fields.
    mentions: Vec<Ident>,
    /// `(local field, referenced column path)` pairs of composite foreign keys.
    typed_pairs: Vec<(Ident, Path)>,
}

fn parse_struct(input: &DeriveInput) -> syn::Result<StructAttrs> {
    let mut s = StructAttrs::default();
    attrs::for_each(&input.attrs, |meta| {
        let k = attrs::key(meta);
        match k.as_str() {
            "name" => once(meta, &mut s.name, attrs::string(meta)?),
            "schema" => once(meta, &mut s.schema, attrs::string(meta)?),
            "renamed_from" => once(meta, &mut s.renamed_from, attrs::string(meta)?),
            "primary_key" => {
                if !meta.input.peek(syn::token::Paren) {
                    return Err(meta.error(
                        "on the struct, list the key's columns: `primary_key(a, b)`; a single-column key goes on its field as `#[strata(primary_key)]`",
                    ));
                }
                let mut columns = Vec::new();
                let mut name = None;
                meta.parse_nested_meta(|inner| {
                    if inner.path.is_ident("name") {
                        name = Some(attrs::string(&inner)?);
                    } else if let Some(i) = inner.path.get_ident() {
                        columns.push(i.clone());
                    } else {
                        return Err(inner.error("expected a field name"));
                    }
                    Ok(())
                })?;
                if columns.is_empty() {
                    return Err(meta.error("`primary_key(...)` needs at least one field"));
                }
                s.mentions.extend(columns.iter().cloned());
                once(meta, &mut s.primary_key, (meta.path.span(), columns, name))
            }
            "unique" => {
                let mut columns = Vec::new();
                let mut name = None;
                let mut nnd = false;
                meta.parse_nested_meta(|inner| {
                    if inner.path.is_ident("name") {
                        name = Some(checked(&attrs::string(&inner)?)?);
                    } else if inner.path.is_ident("nulls_not_distinct") {
                        nnd = true;
                    } else if let Some(i) = inner.path.get_ident() {
                        columns.push(i.clone());
                    } else {
                        return Err(inner.error("expected a field name"));
                    }
                    Ok(())
                })?;
                if columns.is_empty() {
                    return Err(meta.error("`unique(...)` needs at least one field"));
                }
                s.mentions.extend(columns.iter().cloned());
                let name = opt_str(name);
                let cols = column_refs(&columns);
                s.calls
                    .push(quote!(__t.unique(#name, &[#(#cols),*], #nnd);));
                Ok(())
            }
            "index" => {
                let mut keys = Vec::new();
                let mut chain = Vec::new();
                meta.parse_nested_meta(|inner| {
                    let k = attrs::key(&inner);
                    match k.as_str() {
                        "name" => {
                            let n = checked(&attrs::string(&inner)?)?;
                            chain.push(quote!(.name(#n)));
                        }
                        "unique" => chain.push(quote!(.unique())),
                        "nulls_not_distinct" => chain.push(quote!(.nulls_not_distinct())),
                        "method" => {
                            let m = attrs::string(&inner)?;
                            chain.push(quote!(.method(#m)));
                        }
                        "predicate" => {
                            let p = attrs::string(&inner)?;
                            chain.push(quote!(.predicate(#p)));
                        }
                        "include" => {
                            for c in attrs::idents(&inner)? {
                                s.mentions.push(c.clone());
                                let c = column_ref(&c);
                                chain.push(quote!(.include(#c)));
                            }
                        }
                        "expression" => {
                            let e = attrs::string(&inner)?;
                            keys.push(quote!(.expression(#e)));
                        }
                        "desc" => {
                            for c in attrs::idents(&inner)? {
                                s.mentions.push(c.clone());
                                let c = column_ref(&c);
                                keys.push(quote!(.column(#c, true)));
                            }
                        }
                        _ => match inner.path.get_ident() {
                            Some(c) if !inner.input.peek(syn::Token![=]) => {
                                s.mentions.push(c.clone());
                                let c = column_ref(c);
                                keys.push(quote!(.column(#c, false)));
                            }
                            _ => {
                                return Err(attrs::unknown(
                                    &inner,
                                    "an index",
                                    &[
                                        "a field name",
                                        "desc(field)",
                                        "expression",
                                        "name",
                                        "unique",
                                        "method",
                                        "predicate",
                                        "include",
                                        "nulls_not_distinct",
                                    ],
                                ))
                            }
                        },
                    }
                    Ok(())
                })?;
                if keys.is_empty() {
                    return Err(meta.error(
                        "an index needs keys: fields (`index(a, b)`) or `expression = \"...\"`",
                    ));
                }
                s.calls
                    .push(quote!(__t.index(__p::IndexDecl::new() #(#keys)* #(#chain)*);));
                Ok(())
            }
            "foreign_key" => {
                let mut columns = Vec::new();
                let mut targets = Vec::new();
                let mut chain = Vec::new();
                meta.parse_nested_meta(|inner| {
                    let k = attrs::key(&inner);
                    match k.as_str() {
                        "columns" => columns = attrs::idents(&inner)?,
                        "references" => targets = attrs::paths(&inner)?,
                        "name" => {
                            let n = checked(&attrs::string(&inner)?)?;
                            chain.push(quote!(.name(#n)));
                        }
                        "on_delete" => {
                            let a = attrs::fk_action(&attrs::string(&inner)?)?;
                            chain.push(quote!(.on_delete(#a)));
                        }
                        "on_update" => {
                            let a = attrs::fk_action(&attrs::string(&inner)?)?;
                            chain.push(quote!(.on_update(#a)));
                        }
                        "deferrable" => {
                            let d = attrs::deferrable(&attrs::string(&inner)?)?;
                            chain.push(quote!(.deferrable(#d)));
                        }
                        "match_full" => chain.push(quote!(.match_full())),
                        _ => {
                            return Err(attrs::unknown(
                                &inner,
                                "a foreign key",
                                &[
                                    "columns",
                                    "references",
                                    "name",
                                    "on_delete",
                                    "on_update",
                                    "deferrable",
                                    "match_full",
                                ],
                            ))
                        }
                    }
                    Ok(())
                })?;
                if columns.is_empty() || targets.len() != columns.len() {
                    return Err(meta.error(format!(
                        "a foreign key pairs each local field with one referenced column: `foreign_key(columns(a, b), references(Other::A, Other::B))`; here {} field(s) and {} referenced column(s)",
                        columns.len(),
                        targets.len()
                    )));
                }
                s.mentions.extend(columns.iter().cloned());
                let locals = column_refs(&columns);
                let first = &targets[0];
                s.typed_pairs
                    .extend(columns.iter().cloned().zip(targets.iter().cloned()));
                s.calls.push(quote!({
                    let __target = __p::references_untyped(#first);
                    let __referenced = [#(__p::references_untyped(#targets).2),*];
                    __t.foreign_key(
                        __p::ForeignKeyDecl::new(&[#(#locals),*], __target.0, __target.1, &__referenced)
                            #(#chain)*
                    );
                }));
                Ok(())
            }
            "check" => {
                let mut name = None;
                let mut expression = None;
                meta.parse_nested_meta(|inner| {
                    if inner.path.is_ident("name") {
                        name = Some(checked(&attrs::string(&inner)?)?);
                    } else if inner.path.is_ident("expression") {
                        expression = Some(attrs::string(&inner)?);
                    } else {
                        return Err(attrs::unknown(&inner, "a check", &["name", "expression"]));
                    }
                    Ok(())
                })?;
                let (Some(name), Some(expression)) = (name, expression) else {
                    return Err(meta.error(
                        "a table check needs a name and an expression: `check(name = \"t_dates\", expression = \"start_date <= end_date\")`",
                    ));
                };
                s.calls.push(quote!(__t.check(#name, #expression);));
                Ok(())
            }
            "row_level_security" => {
                let mut forced = false;
                if meta.input.peek(syn::token::Paren) {
                    meta.parse_nested_meta(|inner| {
                        if inner.path.is_ident("forced") {
                            forced = true;
                            Ok(())
                        } else {
                            Err(inner.error("expected `row_level_security(forced)` or plain `row_level_security`"))
                        }
                    })?;
                }
                s.calls.push(quote!(__t.row_level_security(#forced);));
                Ok(())
            }
            "policy" => {
                let mut name = None;
                let mut command = String::from("ALL");
                let mut permissive = true;
                let mut roles: Vec<LitStr> = Vec::new();
                let mut using = None;
                let mut with_check = None;
                meta.parse_nested_meta(|inner| {
                    let k = attrs::key(&inner);
                    match k.as_str() {
                        "name" => name = Some(checked(&attrs::string(&inner)?)?),
                        "command" => {
                            let c = attrs::string(&inner)?;
                            let v = c.value().to_ascii_uppercase();
                            if !["ALL", "SELECT", "INSERT", "UPDATE", "DELETE"].contains(&v.as_str()) {
                                return Err(syn::Error::new(c.span(), "a policy command is \"all\", \"select\", \"insert\", \"update\" or \"delete\""));
                            }
                            command = v;
                        }
                        "restrictive" => permissive = false,
                        "roles" => roles = attrs::strings(&inner)?,
                        "using" => using = Some(attrs::string(&inner)?),
                        "with_check" => with_check = Some(attrs::string(&inner)?),
                        _ => {
                            return Err(attrs::unknown(
                                &inner,
                                "a policy",
                                &["name", "command", "roles", "using", "with_check", "restrictive"],
                            ))
                        }
                    }
                    Ok(())
                })?;
                let Some(name) = name else {
                    return Err(
                        meta.error("a policy needs a name: `policy(name = \"own_rows\", ...)`")
                    );
                };
                let using = opt_lit(using);
                let with_check = opt_lit(with_check);
                s.calls.push(quote!(__t.policy(#name, #command, #permissive, &[#(#roles),*], #using, #with_check);));
                Ok(())
            }
            _ => Err(attrs::unknown(meta, "a table struct", STRUCT_KEYS)),
        }
    })?;
    for lit in [&s.name, &s.schema, &s.renamed_from].into_iter().flatten() {
        checked(lit)?;
    }
    Ok(s)
}

fn opt_str(v: Option<String>) -> TokenStream {
    match v {
        Some(v) => quote!(::core::option::Option::Some(#v)),
        None => quote!(::core::option::Option::None),
    }
}

fn opt_lit(v: Option<LitStr>) -> TokenStream {
    match v {
        Some(v) => quote!(::core::option::Option::Some(#v)),
        None => quote!(::core::option::Option::None),
    }
}

/// The SQL name of a field named in a struct-level list: its typed column
/// const, so the generated code says which field it means.
fn column_ref(ident: &Ident) -> TokenStream {
    let c = const_name(ident);
    quote!(Self::#c.name())
}

fn column_refs(idents: &[Ident]) -> Vec<TokenStream> {
    idents.iter().map(column_ref).collect()
}

/// `email` -> `EMAIL`, the typed column's name.
fn const_name(ident: &Ident) -> Ident {
    format_ident!("{}", unraw(ident).to_uppercase(), span = ident.span())
}

fn is_option(ty: &Type) -> bool {
    match ty {
        Type::Path(p) => p.path.segments.last().is_some_and(|s| s.ident == "Option"),
        _ => false,
    }
}

pub(crate) fn expand(input: &DeriveInput) -> syn::Result<TokenStream> {
    let syn::Data::Struct(data) = &input.data else {
        return Err(syn::Error::new(
            input.ident.span(),
            "`#[derive(Table)]` goes on a struct with named fields, one per column; for a PostgreSQL enum use `#[derive(PgEnum)]`",
        ));
    };
    let syn::Fields::Named(named) = &data.fields else {
        return Err(syn::Error::new(
            input.ident.span(),
            "`#[derive(Table)]` needs named fields (`struct User { id: i32 }`): each field is a column",
        ));
    };
    if !input.generics.params.is_empty() {
        return Err(syn::Error::new(
            input.generics.span(),
            "a table struct cannot be generic: its columns' types must be known to declare the table",
        ));
    }
    let s = parse_struct(input)?;
    let mut errors: Option<syn::Error> = None;
    let mut fields = Vec::new();
    for f in &named.named {
        let Some(ident) = &f.ident else { continue };
        match parse_field(f) {
            Ok(attrs) => {
                let sql_name = attrs
                    .name
                    .as_ref()
                    .map_or_else(|| unraw(ident), LitStr::value);
                fields.push(Field {
                    ident,
                    vis: &f.vis,
                    ty: &f.ty,
                    sql_name,
                    attrs,
                    comment: docs::comment(&f.attrs),
                });
            }
            Err(e) => match &mut errors {
                Some(all) => all.combine(e),
                None => errors = Some(e),
            },
        }
    }
    if let Some(e) = errors {
        return Err(e);
    }
    check_table(&s, &fields)?;

    let ident = &input.ident;
    let table_name = s
        .name
        .as_ref()
        .map_or_else(|| snake_case(&ident.to_string()), LitStr::value);
    let schema = s
        .schema
        .as_ref()
        .map_or_else(|| "public".to_string(), LitStr::value);
    let sql_names: Vec<&str> = fields.iter().map(|f| f.sql_name.as_str()).collect();

    let consts = fields.iter().map(|f| {
        let c = const_name(f.ident);
        let ty = f.ty;
        let name = &f.sql_name;
        let doc = format!("The `{name}` column.");
        // As visible as the field: a private field's type may be private.
        let vis = f.vis;
        quote!(#[doc = #doc] #vis const #c: ::strata::Column<#ident, #ty> = ::strata::Column::new(#name);)
    });

    let mut checks = Vec::new();
    let columns: Vec<TokenStream> = fields.iter().map(|f| column_call(f, &mut checks)).collect();
    let field_pk: Vec<&str> = fields
        .iter()
        .filter(|f| f.attrs.primary_key.is_some())
        .map(|f| f.sql_name.as_str())
        .collect();
    let pk = match &s.primary_key {
        Some((_, cols, name)) => {
            for c in cols {
                if let Some(ty) = fields.iter().find(|f| f.ident == c).and_then(Field::typed) {
                    checks.push(not_nullable_key(c.span(), &unraw(c), ty));
                }
            }
            let cols = column_refs(cols);
            let name = opt_lit(name.clone());
            quote!(__t.primary_key(#name, &[#(#cols),*]);)
        }
        None if !field_pk.is_empty() => {
            quote!(__t.primary_key(::core::option::Option::None, &[#(#field_pk),*]);)
        }
        None => quote!(),
    };
    // Composite foreign keys: each local field's type must match its target's.
    for (local, target) in &s.typed_pairs {
        if let Some(f) = fields.iter().find(|f| f.ident == local) {
            if let Some(ty) = f.typed() {
                checks.push(
                    quote_spanned!(target.span()=> let _ = __p::references::<#ty, _, _>(#target);),
                );
            }
        }
    }
    let comment = docs::comment(&input.attrs).map(|c| quote!(__t.comment(#c);));
    let renamed = s
        .renamed_from
        .as_ref()
        .map(|r| quote!(__t.renamed_from(#r);));
    let calls = &s.calls;

    Ok(quote! {
        impl #ident {
            #(#consts)*
        }

        impl ::strata::Table for #ident {
            const TABLE_SCHEMA: &'static str = #schema;
            const TABLE_NAME: &'static str = #table_name;
            const COLUMN_NAMES: &'static [&'static str] = &[#(#sql_names),*];

            fn declaration() -> ::strata::TableDeclaration {
                use ::strata::__private as __p;
                #(#checks)*
                let mut __t = __p::TableBuilder::new(<Self as ::strata::Table>::TABLE_SCHEMA, <Self as ::strata::Table>::TABLE_NAME);
                #comment
                #renamed
                #(#columns)*
                #pk
                #(#calls)*
                __t.finish()
            }
        }
    })
}

/// Checks across fields and struct-level declarations.
fn check_table(s: &StructAttrs, fields: &[Field<'_>]) -> syn::Result<()> {
    for m in &s.mentions {
        if !fields.iter().any(|f| f.ident == m) {
            let known: Vec<String> = fields.iter().map(|f| unraw(f.ident)).collect();
            return Err(syn::Error::new(
                m.span(),
                format!(
                    "no field `{m}` in this struct; struct-level declarations name columns by their Rust field: one of {}",
                    known.join(", ")
                ),
            ));
        }
    }
    let field_pks: Vec<Span> = fields.iter().filter_map(|f| f.attrs.primary_key).collect();
    if let (Some((span, _, _)), Some(_)) = (&s.primary_key, field_pks.first()) {
        return Err(syn::Error::new(
            *span,
            "the primary key is declared twice: keep either `primary_key(...)` on the struct or `#[strata(primary_key)]` on fields",
        ));
    }
    if field_pks.len() > 1 {
        return Err(syn::Error::new(
            field_pks[1],
            "a table has one primary key: for a composite key write `#[strata(primary_key(a, b))]` on the struct instead of marking several fields",
        ));
    }
    let mut seen = std::collections::BTreeSet::new();
    for f in fields {
        if !seen.insert(f.sql_name.as_str()) {
            return Err(syn::Error::new(
                f.attrs.name.as_ref().map_or(f.ident.span(), LitStr::span),
                format!(
                    "two fields are both column `{}`: rename one with `#[strata(name = \"...\")]`",
                    f.sql_name
                ),
            ));
        }
    }
    Ok(())
}

/// A compile-time assertion that a primary key column is not an `Option`.
fn not_nullable_key(span: Span, column: &str, ty: &Type) -> TokenStream {
    let msg = format!(
        "primary key column `{column}` cannot be an Option: PostgreSQL makes key columns NOT NULL; remove the Option"
    );
    quote_spanned!(span=> const _: () = ::core::assert!(!<#ty as ::strata::SqlType>::NULLABLE, #msg);)
}

/// The `__t.column(...)` call of one field, plus its compile-time checks.
fn column_call(f: &Field<'_>, checks: &mut Vec<TokenStream>) -> TokenStream {
    let name = &f.sql_name;
    let ty = f.ty;
    let a = &f.attrs;
    let (data_type, nullable) = match &a.sql_type {
        Some(t) => {
            let nullable = is_option(ty);
            (quote!(#t), quote!(#nullable))
        }
        None => (
            quote_spanned!(ty.span()=> &<#ty as ::strata::SqlType>::sql_type()),
            quote_spanned!(ty.span()=> <#ty as ::strata::SqlType>::NULLABLE),
        ),
    };
    let mut chain = Vec::new();
    if let Some(span) = a.serial {
        checks.push(quote_spanned!(span=> const _: () = __p::sequence_value::<#ty>();));
        chain.push(quote!(.generator(__p::Generator::Serial)));
    }
    if let Some((span, always)) = a.identity {
        checks.push(quote_spanned!(span=> const _: () = __p::sequence_value::<#ty>();));
        let g = if always {
            quote!(IdentityAlways)
        } else {
            quote!(IdentityByDefault)
        };
        chain.push(quote!(.generator(__p::Generator::#g)));
    }
    if let Some(span) = a.primary_key {
        if let Some(ty) = f.typed() {
            checks.push(not_nullable_key(span, name, ty));
        }
    }
    if let Some(d) = &a.default {
        // Typed fields check the default's kind; an explicit `sql_type`
        // leaves the Rust type out of it.
        chain.push(match f.typed() {
            Some(ty) => {
                quote_spanned!(d.span()=> .default_value(__p::default_for::<#ty, _>(&(#d))))
            }
            None => quote_spanned!(d.span()=> .default_value(&(#d))),
        });
    }
    if let Some(d) = &a.default_sql {
        chain.push(quote!(.default_sql(#d)));
    }
    if let Some(g) = &a.generated {
        chain.push(quote!(.generated(#g)));
    }
    if let Some(c) = &a.collation {
        chain.push(quote!(.collation(#c)));
    }
    if let Some(c) = &f.comment {
        chain.push(quote!(.comment(#c)));
    }
    if let Some(r) = &a.renamed_from {
        chain.push(quote!(.renamed_from(#r)));
    }
    if let Some(u) = &a.unique {
        let u = opt_lit(u.clone());
        chain.push(quote!(.unique(#u)));
    }
    if let Some(c) = &a.check {
        chain.push(quote!(.check(::core::option::Option::None, #c)));
    }
    let mut extra = Vec::new();
    if a.index.is_some() {
        extra.push(quote!(__t.index(__p::IndexDecl::new().column(#name, false));));
    }
    if let Some(target) = &a.references {
        let lookup = match f.typed() {
            Some(ty) => quote_spanned!(target.span()=> __p::references::<#ty, _, _>(#target)),
            None => quote_spanned!(target.span()=> __p::references_untyped(#target)),
        };
        let mut fk = Vec::new();
        // `check_field` has already rejected bad values with their span.
        if let Some(Ok(act)) = a.on_delete.as_ref().map(attrs::fk_action) {
            fk.push(quote!(.on_delete(#act)));
        }
        if let Some(Ok(act)) = a.on_update.as_ref().map(attrs::fk_action) {
            fk.push(quote!(.on_update(#act)));
        }
        if let Some(Ok(d)) = a.deferrable.as_ref().map(attrs::deferrable) {
            fk.push(quote!(.deferrable(#d)));
        }
        extra.push(quote!({
            let __target = #lookup;
            __t.foreign_key(__p::ForeignKeyDecl::new(&[#name], __target.0, __target.1, &[__target.2]) #(#fk)*);
        }));
    }
    quote! {
        __t.column(__p::ColumnDecl::new(#name, #data_type, #nullable) #(#chain)*);
        #(#extra)*
    }
}
