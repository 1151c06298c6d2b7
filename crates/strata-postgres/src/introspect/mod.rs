//! Introspection: a live database's catalog read into the schema model.
//!
//! One snapshot-consistent, read-only transaction runs a fixed set of
//! catalog queries (one per object kind, over all schemas at once, each kept
//! as a `.sql` file next to the module that reads it), sent together so the
//! driver pipelines them. The rows are then assembled in memory, keyed by oid.
//! The number of statements does not depend on the size of the schema: 1,000
//! tables cost the same round trips as one.
//!
//! The transaction sets `search_path = pg_catalog`, so everything the server
//! prints (types, defaults, view and function definitions, ...) names user
//! objects schema-qualified: `public.mood`, `nextval('public.t_id_seq'::regclass)`.

mod columns;
mod composite_types;
mod constraints;
mod domains;
mod enums;
mod extensions;
mod functions;
mod grants;
mod indexes;
mod namespaces;
mod policies;
mod rows;
mod sequences;
mod tables;
mod triggers;
mod unsupported;
mod views;

use crate::error::Error;
use futures_util::future::try_join_all;
use std::collections::HashMap;
use strata_schema::{
    CompositeType, Domain, EnumType, Extension, Filter, Function, Namespace, Schema, Sequence,
    Table, Unsupported, View,
};
use tokio_postgres::{Client, Row};

/// What one introspection cost, for tests and benchmarks.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Stats {
    /// Statements sent to the server, transaction control included.
    pub statements: usize,
}

/// Reads the schema of the database `client` is connected to.
///
/// Schemas are kept when `filter.includes_schema` says so, tables and views
/// when `filter.includes_table` does. System schemas (`pg_catalog`,
/// `information_schema`, `pg_toast*`, `pg_temp*`) and objects that belong to
/// an extension are never part of the result. The returned schema is
/// normalized.
pub async fn introspect(client: &Client, filter: &Filter) -> Result<Schema, Error> {
    introspect_with_stats(client, filter).await.map(|(s, _)| s)
}

/// [`introspect`], also returning how many statements it sent.
pub async fn introspect_with_stats(
    client: &Client,
    filter: &Filter,
) -> Result<(Schema, Stats), Error> {
    let mut stats = Stats::default();
    // REPEATABLE READ: every query sees the same snapshot, so the pieces fit.
    client
        .batch_execute(
            "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY; SET LOCAL search_path = pg_catalog",
        )
        .await
        .map_err(|e| Error::query("could not start the introspection transaction", &e))?;
    stats.statements += 2;
    let read = read_catalog(client).await;
    stats.statements += QUERIES.len();
    let rows = match read {
        Ok(rows) => rows,
        Err(e) => {
            // The transaction is aborted anyway; the first error is the story.
            let _ = client.batch_execute("ROLLBACK").await;
            return Err(e);
        }
    };
    client
        .batch_execute("COMMIT")
        .await
        .map_err(|e| Error::query("could not end the introspection transaction", &e))?;
    stats.statements += 1;
    Ok((assemble(&rows, filter)?, stats))
}

/// One catalog query: what it reads (for error messages) and its text.
struct Query {
    what: &'static str,
    sql: &'static str,
}

/// Every query, in the order [`assemble`] consumes their rows.
const QUERIES: [Query; 16] = [
    namespaces::QUERY,
    extensions::QUERY,
    enums::QUERY,
    domains::QUERY,
    composite_types::QUERY,
    tables::QUERY,
    views::QUERY,
    columns::QUERY,
    sequences::QUERY,
    constraints::QUERY,
    indexes::QUERY,
    triggers::QUERY,
    policies::QUERY,
    functions::QUERY,
    grants::QUERY,
    unsupported::QUERY,
];

/// Sends all queries at once (the driver pipelines them on the connection)
/// and returns their rows in [`QUERIES`] order.
async fn read_catalog(client: &Client) -> Result<Vec<Vec<Row>>, Error> {
    try_join_all(QUERIES.iter().map(|q| async move {
        client
            .query(q.sql, &[])
            .await
            .map_err(|e| Error::query(format!("could not read {} from the catalog", q.what), &e))
    }))
    .await
}

fn assemble(rows: &[Vec<Row>], filter: &Filter) -> Result<Schema, Error> {
    let [namespaces, extensions, enums, domains, composites, tables, views, columns, sequences, constraints, indexes, triggers, policies, functions, grants, unsupported] =
        rows
    else {
        return Err(Error::Catalog("wrong number of query results".into()));
    };
    let mut a = Assembly::new(filter);
    namespaces::apply(namespaces, &mut a)?;
    extensions::apply(extensions, &mut a)?;
    enums::apply(enums, &mut a)?;
    domains::apply(domains, &mut a)?;
    composite_types::apply(composites, &mut a)?;
    tables::apply(tables, &mut a)?;
    views::apply(views, &mut a)?;
    columns::apply(columns, &mut a)?;
    sequences::apply(sequences, &mut a)?;
    constraints::apply(constraints, &mut a)?;
    indexes::apply(indexes, &mut a)?;
    triggers::apply(triggers, &mut a)?;
    policies::apply(policies, &mut a)?;
    functions::apply(functions, &mut a)?;
    grants::apply(grants, &mut a)?;
    unsupported::apply(unsupported, &mut a)?;
    Ok(a.into_schema())
}

/// The model under construction. Objects are keyed by oid so that rows of
/// later queries (columns, constraints, grants, ...) find their owner in
/// constant time; an owner that is missing was filtered out (or belongs to
/// an extension), and so are its rows.
struct Assembly<'f> {
    filter: &'f Filter,
    namespaces: HashMap<u32, Namespace>,
    extensions: Vec<Extension>,
    enums: Vec<EnumType>,
    domains: HashMap<u32, Domain>,
    /// Keyed by the type's relation (`typrelid`), which owns the attributes.
    composites: HashMap<u32, CompositeType>,
    tables: HashMap<u32, Table>,
    views: HashMap<u32, View>,
    /// Position of each table column in `Table::columns`, by (table oid, attnum).
    columns: HashMap<(u32, i16), usize>,
    /// Identity columns waiting for their sequence's options: `true` = ALWAYS.
    identities: HashMap<(u32, i16), bool>,
    sequences: Vec<Sequence>,
    /// Free-standing sequences by oid (for their grants).
    sequence_index: HashMap<u32, usize>,
    functions: HashMap<u32, Function>,
    unsupported: Vec<Unsupported>,
}

impl<'f> Assembly<'f> {
    fn new(filter: &'f Filter) -> Self {
        Assembly {
            filter,
            namespaces: HashMap::new(),
            extensions: Vec::new(),
            enums: Vec::new(),
            domains: HashMap::new(),
            composites: HashMap::new(),
            tables: HashMap::new(),
            views: HashMap::new(),
            columns: HashMap::new(),
            identities: HashMap::new(),
            sequences: Vec::new(),
            sequence_index: HashMap::new(),
            functions: HashMap::new(),
            unsupported: Vec::new(),
        }
    }

    fn into_schema(self) -> Schema {
        let mut schema = Schema {
            namespaces: self.namespaces.into_values().collect(),
            extensions: self.extensions,
            enums: self.enums,
            domains: self.domains.into_values().collect(),
            composite_types: self.composites.into_values().collect(),
            sequences: self.sequences,
            tables: self.tables.into_values().collect(),
            views: self.views.into_values().collect(),
            functions: self.functions.into_values().collect(),
            unsupported: self.unsupported,
        };
        schema.normalize();
        schema
    }
}
