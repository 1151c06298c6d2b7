//! The benchmark database: N tables of nine columns each, and the 1% change.
//!
//! Every table `t_NNNN` has a serial key, text, a unique varchar(255), a
//! foreign key to the previous table (table 0 references itself, so that every
//! table has exactly one), a timestamp defaulting to now(), a boolean, jsonb,
//! numeric(10,2), an enum column, and one index (on the foreign key).
//!
//! Constraint and index names are the ones drizzle-kit gives the same tables
//! (bench/drizzle/gen-schema.mjs), so both tools look at the same database.

use strata_postgres::quote;

/// The enum type all tables share.
pub const ENUM_NAME: &str = "row_status";

/// Name of table `i`: `t_0000`, `t_0001`, ...
pub fn table_name(i: usize) -> String {
    format!("t_{i:04}")
}

/// True for the tables the 1% change touches: every hundredth.
// `is_multiple_of` needs Rust 1.87; the workspace supports 1.85.
#[allow(clippy::manual_is_multiple_of)]
pub fn is_changed(i: usize) -> bool {
    i % 100 == 0
}

/// The column the 1% change adds.
pub const ADDED_COLUMN: &str = "note";

/// The DDL that creates the database, in batches.
///
/// A simple-query batch runs as one transaction, and a transaction that
/// creates a thousand tables (each with a sequence, two indexes and a foreign
/// key) runs out of lock slots with default settings, hence the batches.
pub fn create_batches(tables: usize) -> Vec<String> {
    let qualified_enum = quote::qualified("public", ENUM_NAME);
    let mut batches = vec![format!(
        "CREATE TYPE {qualified_enum} AS ENUM ('active', 'inactive', 'archived');\n"
    )];
    let mut batch = String::new();
    for i in 0..tables {
        let name = table_name(i);
        let prev = table_name(i.saturating_sub(1));
        let table = quote::qualified("public", &name);
        let pkey = quote::ident(&format!("{name}_pkey"));
        let unique = quote::ident(&format!("{name}_email_unique"));
        let fk = quote::ident(&format!("{name}_prev_id_{prev}_id_fk"));
        let index = quote::ident(&format!("{name}_prev_id_idx"));
        let referenced = quote::qualified("public", &prev);
        batch.push_str(&format!(
            "CREATE TABLE {table} (
  id serial CONSTRAINT {pkey} PRIMARY KEY,
  name text,
  email varchar(255) CONSTRAINT {unique} UNIQUE,
  prev_id integer CONSTRAINT {fk} REFERENCES {referenced} (id),
  created_at timestamp DEFAULT now(),
  active boolean,
  data jsonb,
  amount numeric(10,2),
  status {qualified_enum}
);
CREATE INDEX {index} ON {table} USING btree (prev_id);
"
        ));
        if (i + 1) % 50 == 0 {
            batches.push(std::mem::take(&mut batch));
        }
    }
    if !batch.is_empty() {
        batches.push(batch);
    }
    batches
}

/// The 1% change: every hundredth table gets a nullable text column.
pub fn change_sql(tables: usize) -> String {
    (0..tables)
        .filter(|&i| is_changed(i))
        .map(|i| {
            format!(
                "ALTER TABLE {} ADD COLUMN {} text;\n",
                quote::qualified("public", &table_name(i)),
                quote::ident(ADDED_COLUMN)
            )
        })
        .collect()
}

/// How many tables the change touches.
pub fn changed_count(tables: usize) -> usize {
    (0..tables).filter(|&i| is_changed(i)).count()
}

/// The baseline "raw catalog query": every column of every user table, with
/// its type, nullability and default, in one query (what the simplest
/// introspection would send; no constraints, indexes or types).
pub const RAW_CATALOG_QUERY: &str = "\
SELECT c.relname, a.attname, pg_catalog.format_type(a.atttypid, a.atttypmod), a.attnotnull, \
pg_catalog.pg_get_expr(d.adbin, d.adrelid) \
FROM pg_catalog.pg_attribute a \
JOIN pg_catalog.pg_class c ON c.oid = a.attrelid \
JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace \
LEFT JOIN pg_catalog.pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum \
WHERE c.relkind IN ('r', 'p') AND a.attnum > 0 AND NOT a.attisdropped \
AND n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg\\_toast%' \
ORDER BY n.nspname, c.relname, a.attnum";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_percent_of_a_thousand() {
        assert_eq!(changed_count(1000), 10);
        assert_eq!(change_sql(1000).lines().count(), 10);
    }

    #[test]
    fn every_table_is_created_once() {
        let sql = create_batches(120).concat();
        assert_eq!(sql.matches("CREATE TABLE").count(), 120);
        assert_eq!(sql.matches("CREATE INDEX").count(), 120);
        assert!(sql.contains("REFERENCES \"public\".\"t_0000\" (id)"));
    }
}
