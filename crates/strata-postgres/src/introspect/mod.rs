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
use crate::server_version::ServerVersion;
use futures_util::future::try_join_all;
use std::borrow::Cow;
use std::collections::HashMap;
use strata_schema::{
    CompositeType, Domain, EnumType, Extension, Filter, Function, Namespace, Schema, Sequence,
    Table, Unsupported, View,
};
use tokio_postgres::{Client, Row, SimpleQueryMessage};

/// What one introspection cost, for tests and benchmarks.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Stats {
    /// Statements sent to the server, transaction control included.
    pub statements: usize,
}

/// Reads the schema of the database `client` is connected to.
///
/// Restricted to what [`Filter::apply`] keeps. System schemas (`pg_catalog`,
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
    let version = begin(client).await?;
    stats.statements += 2;
    let read = read_catalog(client, version).await;
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
    // Everything is assembled, then filtered by the one definition of a
    // filter (also used for snapshots); keys still name the columns of
    // tables the filter leaves out.
    Ok((filter.apply(assemble(&rows)?), stats))
}

/// Starts the introspection transaction and returns the server's version
/// (`server_version_num`, e.g. 150004), which decides the query texts. A
/// server older than Strata supports is refused here, before any catalog
/// query could fail on a column it lacks.
///
/// REPEATABLE READ: every query sees the same snapshot, so the pieces fit.
/// The settings are local to the transaction:
/// - `search_path = pg_catalog` makes the server print user objects
///   schema-qualified;
/// - `jit = off`: the catalog queries of a large database cost enough for the
///   planner to JIT-compile them, which takes longer than running them.
async fn begin(client: &Client) -> Result<ServerVersion, Error> {
    let messages = client
        .simple_query(
            "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY; \
             SELECT set_config('search_path', 'pg_catalog', true), \
                    set_config('jit', 'off', true), \
                    current_setting('server_version_num')",
        )
        .await
        .map_err(|e| Error::query("could not start the introspection transaction", &e));
    let messages = match messages {
        Ok(messages) => messages,
        Err(e) => {
            let _ = client.batch_execute("ROLLBACK").await;
            return Err(e);
        }
    };
    let version = messages.iter().find_map(|m| match m {
        SimpleQueryMessage::Row(row) => row.get(2),
        _ => None,
    });
    let outcome = match version.and_then(ServerVersion::parse) {
        Some(v) if v.is_supported() => return Ok(v),
        Some(v) => Error::UnsupportedServer { version: v },
        None => Error::Catalog(format!("unreadable server_version_num: {version:?}")),
    };
    let _ = client.batch_execute("ROLLBACK").await;
    Err(outcome)
}

/// One catalog query: what it reads (for error messages) and its text.
struct Query {
    what: &'static str,
    sql: &'static str,
}

/// Catalog text that only newer servers understand, the major version that
/// added it, and what stands in for it before: the value the column would
/// hold there.
const NEWER_CATALOG: [(&str, i32, &str); 2] = [
    // PostgreSQL 15 added NULLS NOT DISTINCT.
    ("i.indnullsnotdistinct", 15, "NULL::boolean"),
    // PostgreSQL 13 added tgparentid; before it, the triggers a partition
    // inherits from its parent are marked tgisinternal instead.
    ("t.tgparentid = 0", 13, "true"),
];

/// The text of `sql` for a server of `version`. Columns that only newer
/// servers have are written plainly in the `.sql` files (reading them costs
/// nothing, unlike going through `to_jsonb(row)`), and replaced here by their
/// stand-ins on older servers ([`NEWER_CATALOG`]).
fn query_text(sql: &'static str, version: ServerVersion) -> Cow<'static, str> {
    let mut text = Cow::Borrowed(sql);
    for (newer, since, stand_in) in NEWER_CATALOG {
        if version < ServerVersion::major_number(since) && text.contains(newer) {
            text = Cow::Owned(text.replace(newer, stand_in));
        }
    }
    text
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
async fn read_catalog(client: &Client, version: ServerVersion) -> Result<Vec<Vec<Row>>, Error> {
    try_join_all(QUERIES.iter().map(|q| async move {
        client
            .query(query_text(q.sql, version).as_ref(), &[])
            .await
            .map_err(|e| Error::query(format!("could not read {} from the catalog", q.what), &e))
    }))
    .await
}

fn assemble(rows: &[Vec<Row>]) -> Result<Schema, Error> {
    let [namespaces, extensions, enums, domains, composites, tables, views, columns, sequences, constraints, indexes, triggers, policies, functions, grants, unsupported] =
        rows
    else {
        return Err(Error::Catalog("wrong number of query results".into()));
    };
    let mut a = Assembly::new();
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
/// constant time; an owner that is missing belongs to an extension (or is
/// of a kind not modelled), and so are its rows.
struct Assembly {
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
    /// Name of every column of every relation in user schemas, filtered out
    /// or not (a foreign key may reference a table the filter leaves out),
    /// by (relation oid, attnum): constraints and indexes list their columns
    /// as attnums.
    attnames: HashMap<(u32, i16), String>,
    /// Identity columns waiting for their sequence's options: `true` = ALWAYS.
    identities: HashMap<(u32, i16), bool>,
    sequences: Vec<Sequence>,
    /// Free-standing sequences by oid (for their grants).
    sequence_index: HashMap<u32, usize>,
    functions: HashMap<u32, Function>,
    unsupported: Vec<Unsupported>,
}

impl Assembly {
    fn new() -> Self {
        Assembly {
            namespaces: HashMap::new(),
            extensions: Vec::new(),
            enums: Vec::new(),
            domains: HashMap::new(),
            composites: HashMap::new(),
            tables: HashMap::new(),
            views: HashMap::new(),
            columns: HashMap::new(),
            attnames: HashMap::new(),
            identities: HashMap::new(),
            sequences: Vec::new(),
            sequence_index: HashMap::new(),
            functions: HashMap::new(),
            unsupported: Vec::new(),
        }
    }

    /// The names of columns `attnums` of relation `relid`, in that order.
    /// `owner` names the constraint or index for the error message.
    fn column_names(&self, relid: u32, attnums: &[i16], owner: &str) -> Result<Vec<String>, Error> {
        attnums
            .iter()
            .map(|&attnum| {
                self.attnames.get(&(relid, attnum)).cloned().ok_or_else(|| {
                    Error::Catalog(format!(
                        "{owner}: column {attnum} of relation {relid} not found"
                    ))
                })
            })
            .collect()
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn query_texts_fit_the_server_version() {
        for q in &QUERIES {
            assert_eq!(query_text(q.sql, ServerVersion(150000)), q.sql);
            for (newer, since, _) in NEWER_CATALOG {
                let older = ServerVersion(ServerVersion::major_number(since).0 - 1);
                assert!(!query_text(q.sql, older).contains(newer), "{}", q.what);
            }
        }
        let v14 = ServerVersion(140023);
        assert!(query_text(constraints::QUERY.sql, v14).contains("NULL::boolean"));
        assert!(query_text(indexes::QUERY.sql, v14).contains("NULL::boolean"));
        assert!(query_text(triggers::QUERY.sql, v14).contains("t.tgparentid = 0"));
        let v12 = ServerVersion(120022);
        assert!(!query_text(triggers::QUERY.sql, v12).contains("t.tgparentid"));
    }
}
