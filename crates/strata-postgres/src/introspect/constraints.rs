//! Table constraints (primary key, unique, foreign key, check, exclusion)
//! and domain CHECK constraints.

use super::rows::{get, included_attnums};
use super::{Assembly, Query};
use crate::error::Error;
use strata_schema::{
    CheckConstraint, Deferrable, ExclusionConstraint, FkAction, ForeignKey, PrimaryKey,
    QualifiedName, UniqueConstraint,
};
use tokio_postgres::Row;

pub(super) const QUERY: Query = Query {
    what: "constraints",
    sql: include_str!("constraints.sql"),
};

pub(super) fn apply(rows: &[Row], a: &mut Assembly) -> Result<(), Error> {
    for row in rows {
        let relid: u32 = get(row, "relid")?;
        let typid: u32 = get(row, "typid")?;
        let kind: String = get(row, "kind")?;
        let name: String = get(row, "name")?;
        let comment: Option<String> = get(row, "comment")?;
        let definition: String = get::<Option<String>>(row, "definition")?.unwrap_or_default();
        let validated: bool = get(row, "validated")?;
        let no_inherit: bool = get(row, "no_inherit")?;
        if typid != 0 {
            if let (Some(domain), "c") = (a.domains.get_mut(&typid), kind.as_str()) {
                domain.checks.push(CheckConstraint {
                    expression: check_expression(&definition, no_inherit, validated)?,
                    name,
                    no_inherit,
                    not_valid: !validated,
                    comment,
                });
            }
            continue;
        }
        if !a.tables.contains_key(&relid) {
            continue;
        }
        let deferrable = deferrable(get(row, "deferrable")?, get(row, "deferred")?);
        // Column lists, by name; only keys, unique and foreign keys have them.
        let (columns, include, ref_columns) = match kind.as_str() {
            "p" | "u" | "f" => {
                let attnums = get::<Option<Vec<i16>>>(row, "columns")?.unwrap_or_default();
                let index_keys = get::<Option<Vec<i16>>>(row, "index_keys")?.unwrap_or_default();
                let key_count = get::<Option<i16>>(row, "index_key_count")?.unwrap_or(0);
                let ref_attnums = get::<Option<Vec<i16>>>(row, "ref_columns")?.unwrap_or_default();
                (
                    a.column_names(relid, &attnums, &name)?,
                    a.column_names(relid, included_attnums(&index_keys, key_count), &name)?,
                    a.column_names(get(row, "ref_relid")?, &ref_attnums, &name)?,
                )
            }
            _ => Default::default(),
        };
        let Some(table) = a.tables.get_mut(&relid) else {
            continue;
        };
        match kind.as_str() {
            "p" => {
                table.primary_key = Some(PrimaryKey {
                    name,
                    columns,
                    include,
                    deferrable,
                    comment,
                })
            }
            "u" => table.uniques.push(UniqueConstraint {
                name,
                columns,
                include,
                nulls_not_distinct: get(row, "nulls_not_distinct")?,
                deferrable,
                comment,
            }),
            "f" => table.foreign_keys.push(ForeignKey {
                name,
                columns,
                references: QualifiedName::new(
                    get::<String>(row, "ref_schema")?,
                    get::<String>(row, "ref_table")?,
                ),
                referenced_columns: ref_columns,
                on_delete: fk_action(&get::<String>(row, "on_delete")?)?,
                on_update: fk_action(&get::<String>(row, "on_update")?)?,
                match_full: get::<String>(row, "match_type")? == "f",
                deferrable,
                not_valid: !validated,
                comment,
            }),
            "c" => table.checks.push(CheckConstraint {
                expression: check_expression(&definition, no_inherit, validated)?,
                name,
                no_inherit,
                not_valid: !validated,
                comment,
            }),
            "x" => table.exclusions.push(ExclusionConstraint {
                definition: exclusion_definition(&definition, deferrable, validated)?,
                name,
                deferrable,
                comment,
            }),
            _ => {}
        }
    }
    Ok(())
}

fn deferrable(deferrable: bool, deferred: bool) -> Deferrable {
    match (deferrable, deferred) {
        (false, _) => Deferrable::NotDeferrable,
        (true, false) => Deferrable::InitiallyImmediate,
        (true, true) => Deferrable::InitiallyDeferred,
    }
}

fn fk_action(code: &str) -> Result<FkAction, Error> {
    Ok(match code {
        "a" => FkAction::NoAction,
        "r" => FkAction::Restrict,
        "c" => FkAction::Cascade,
        "n" => FkAction::SetNull,
        "d" => FkAction::SetDefault,
        other => {
            return Err(Error::Catalog(format!(
                "unknown foreign key action `{other}`"
            )))
        }
    })
}

/// The condition inside `CHECK (...)` of `pg_get_constraintdef`, which
/// appends ` NO INHERIT` and ` NOT VALID` after the parenthesis. The flags say
/// which suffixes are there, so no guessing inside the expression's text.
fn check_expression(definition: &str, no_inherit: bool, validated: bool) -> Result<String, Error> {
    let mut text = definition;
    if !validated {
        text = text.strip_suffix(" NOT VALID").unwrap_or(text);
    }
    if no_inherit {
        text = text.strip_suffix(" NO INHERIT").unwrap_or(text);
    }
    text.strip_prefix("CHECK (")
        .and_then(|t| t.strip_suffix(')'))
        .map(str::to_string)
        .ok_or_else(|| Error::Catalog(format!("unexpected CHECK constraint text: {definition}")))
}

/// `pg_get_constraintdef` of an exclusion constraint without the leading
/// `EXCLUDE ` and the deferrability / validity suffixes (kept as fields).
fn exclusion_definition(
    definition: &str,
    deferrable: Deferrable,
    validated: bool,
) -> Result<String, Error> {
    let mut text = definition;
    if !validated {
        text = text.strip_suffix(" NOT VALID").unwrap_or(text);
    }
    if deferrable == Deferrable::InitiallyDeferred {
        text = text.strip_suffix(" INITIALLY DEFERRED").unwrap_or(text);
    }
    if deferrable != Deferrable::NotDeferrable {
        text = text.strip_suffix(" DEFERRABLE").unwrap_or(text);
    }
    text.strip_prefix("EXCLUDE ")
        .map(str::to_string)
        .ok_or_else(|| Error::Catalog(format!("unexpected EXCLUDE constraint text: {definition}")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strips_check_wrapping_and_suffixes() {
        assert_eq!(
            check_expression("CHECK ((a > 0)) NO INHERIT NOT VALID", true, false).unwrap(),
            "(a > 0)"
        );
        assert_eq!(
            check_expression("CHECK ((a > 0))", false, true).unwrap(),
            "(a > 0)"
        );
        assert!(check_expression("UNIQUE (a)", false, true).is_err());
    }

    #[test]
    fn strips_exclusion_keyword_and_suffixes() {
        assert_eq!(
            exclusion_definition(
                "EXCLUDE USING gist (c WITH &&) DEFERRABLE INITIALLY DEFERRED",
                Deferrable::InitiallyDeferred,
                true
            )
            .unwrap(),
            "USING gist (c WITH &&)"
        );
    }
}
