//! Small SQL fragments shared by the renderers: names, column definitions,
//! constraint clauses, index definitions, sequence options.

use crate::quote::{ident, literal, qualified};
use strata_schema::{
    CheckConstraint, Column, Deferrable, ExclusionConstraint, ForeignKey, Index, PrimaryKey,
    QualifiedName, SequenceOptions, UniqueConstraint,
};

/// `"schema"."name"`.
pub(crate) fn q(name: &QualifiedName) -> String {
    qualified(&name.schema, &name.name)
}

/// `"a", "b"`.
pub(crate) fn idents(names: &[String]) -> String {
    names
        .iter()
        .map(|n| ident(n))
        .collect::<Vec<_>>()
        .join(", ")
}

/// A collation name as the model holds it: kept as is when it is already
/// spelled for SQL (quoted or qualified), quoted otherwise.
pub(crate) fn collation(name: &str) -> String {
    if name.contains('"') || name.contains('.') {
        name.to_string()
    } else {
        ident(name)
    }
}

/// A role in GRANT or a policy: `PUBLIC` is a keyword, not a role name.
pub(crate) fn role(name: &str) -> String {
    if name.eq_ignore_ascii_case("public") {
        "PUBLIC".to_string()
    } else {
        ident(name)
    }
}

/// `'text'` or `NULL`.
pub(crate) fn literal_or_null(text: &Option<String>) -> String {
    text.as_deref().map_or_else(|| "NULL".to_string(), literal)
}

/// `name type [COLLATE] [GENERATED ...] [DEFAULT ...] [NOT NULL]`.
pub(crate) fn column_definition(c: &Column) -> String {
    let mut s = format!("{} {}", ident(&c.name), c.data_type);
    if let Some(coll) = &c.collation {
        s.push_str(&format!(" COLLATE {}", collation(coll)));
    }
    if let Some(expr) = &c.generated {
        s.push_str(&format!(" GENERATED ALWAYS AS ({expr}) STORED"));
    } else if let Some(identity) = &c.identity {
        s.push_str(&format!(
            " GENERATED {} AS IDENTITY ({})",
            if identity.always {
                "ALWAYS"
            } else {
                "BY DEFAULT"
            },
            sequence_options(&identity.sequence, "")
        ));
    } else if let Some(default) = &c.default {
        s.push_str(&format!(" DEFAULT {default}"));
    }
    if c.not_null {
        s.push_str(" NOT NULL");
    }
    s
}

/// `START WITH 1 INCREMENT BY 1 MINVALUE 1 MAXVALUE ... CACHE 1 NO CYCLE`,
/// each option preceded by `prefix` (`SET ` for `ALTER COLUMN ... SET`).
pub(crate) fn sequence_options(o: &SequenceOptions, prefix: &str) -> String {
    [
        format!("{prefix}START WITH {}", o.start),
        format!("{prefix}INCREMENT BY {}", o.increment),
        format!("{prefix}MINVALUE {}", o.min_value),
        format!("{prefix}MAXVALUE {}", o.max_value),
        format!("{prefix}CACHE {}", o.cache),
        format!("{prefix}{}", if o.cycle { "CYCLE" } else { "NO CYCLE" }),
    ]
    .join(" ")
}

fn deferrable(d: Deferrable) -> &'static str {
    match d {
        Deferrable::NotDeferrable => "",
        Deferrable::InitiallyImmediate => " DEFERRABLE",
        Deferrable::InitiallyDeferred => " DEFERRABLE INITIALLY DEFERRED",
    }
}

fn include(cols: &[String]) -> String {
    if cols.is_empty() {
        String::new()
    } else {
        format!(" INCLUDE ({})", idents(cols))
    }
}

pub(crate) fn primary_key(p: &PrimaryKey) -> String {
    format!(
        "CONSTRAINT {} PRIMARY KEY ({}){}{}",
        ident(&p.name),
        idents(&p.columns),
        include(&p.include),
        deferrable(p.deferrable)
    )
}

pub(crate) fn unique(u: &UniqueConstraint) -> String {
    format!(
        "CONSTRAINT {} UNIQUE{} ({}){}{}",
        ident(&u.name),
        if u.nulls_not_distinct {
            " NULLS NOT DISTINCT"
        } else {
            ""
        },
        idents(&u.columns),
        include(&u.include),
        deferrable(u.deferrable)
    )
}

pub(crate) fn foreign_key(f: &ForeignKey) -> String {
    let mut s = format!(
        "CONSTRAINT {} FOREIGN KEY ({}) REFERENCES {} ({})",
        ident(&f.name),
        idents(&f.columns),
        q(&f.references),
        idents(&f.referenced_columns)
    );
    if f.match_full {
        s.push_str(" MATCH FULL");
    }
    if !f.on_update.is_default() {
        s.push_str(&format!(" ON UPDATE {}", f.on_update.sql()));
    }
    if !f.on_delete.is_default() {
        s.push_str(&format!(" ON DELETE {}", f.on_delete.sql()));
    }
    s.push_str(deferrable(f.deferrable));
    if f.not_valid {
        s.push_str(" NOT VALID");
    }
    s
}

/// `CONSTRAINT n CHECK (expr) [NO INHERIT]`; `NOT VALID` only when asked
/// (it is accepted by `ALTER TABLE ... ADD` only).
pub(crate) fn check(c: &CheckConstraint, with_not_valid: bool) -> String {
    let mut s = format!("CONSTRAINT {} CHECK ({})", ident(&c.name), c.expression);
    if c.no_inherit {
        s.push_str(" NO INHERIT");
    }
    if with_not_valid && c.not_valid {
        s.push_str(" NOT VALID");
    }
    s
}

pub(crate) fn exclusion(x: &ExclusionConstraint) -> String {
    let mut s = format!("CONSTRAINT {} EXCLUDE {}", ident(&x.name), x.definition);
    // The server's definition text may already carry the DEFERRABLE clause.
    if !x.definition.contains("DEFERRABLE") {
        s.push_str(deferrable(x.deferrable));
    }
    s
}

/// `CREATE [UNIQUE] INDEX name ON table USING method (keys) ...`.
pub(crate) fn create_index(table: &QualifiedName, i: &Index) -> String {
    let keys: Vec<String> = i
        .keys
        .iter()
        .map(|k| {
            let mut s = if k.is_column {
                ident(&k.expression)
            } else {
                format!("({})", k.expression)
            };
            if let Some(c) = &k.collation {
                s.push_str(&format!(" COLLATE {}", collation(c)));
            }
            if let Some(op) = &k.opclass {
                s.push_str(&format!(" {op}"));
            }
            if k.descending {
                s.push_str(" DESC");
            }
            match k.nulls_first {
                Some(true) => s.push_str(" NULLS FIRST"),
                Some(false) => s.push_str(" NULLS LAST"),
                None => {}
            }
            s
        })
        .collect();
    let mut s = format!(
        "CREATE {}INDEX {} ON {} USING {} ({})",
        if i.unique { "UNIQUE " } else { "" },
        ident(&i.name),
        q(table),
        i.method,
        keys.join(", ")
    );
    s.push_str(&include(&i.include));
    if i.nulls_not_distinct {
        s.push_str(" NULLS NOT DISTINCT");
    }
    if !i.with.is_empty() {
        s.push_str(&format!(" WITH ({})", i.with.join(", ")));
    }
    if let Some(p) = &i.predicate {
        s.push_str(&format!(" WHERE ({p})"));
    }
    s
}
