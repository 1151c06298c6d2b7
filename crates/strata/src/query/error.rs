//! What can go wrong running a query.

/// An error from building or running a query.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum QueryError {
    /// The server (or the connection) reported an error.
    #[error("query failed: {0}")]
    Postgres(#[from] tokio_postgres::Error),
    /// A result cell could not be read as the Rust type asked for.
    #[error("column `{column}` cannot be read as `{rust_type}`: {source}; select it into an Option if it can be NULL, or change the field's type")]
    Decode {
        column: String,
        rust_type: &'static str,
        #[source]
        source: tokio_postgres::Error,
    },
    /// An enum cell held a label the Rust enum does not have.
    #[error("column {column} holds label `{label}`, which enum `{enum_type}` does not declare: add the variant or migrate the data")]
    UnknownLabel {
        column: String,
        enum_type: &'static str,
        label: String,
    },
    /// A field of a related row (relational query) could not be read.
    #[error("field {field} of a related row cannot be read as `{rust_type}`: {reason}; check that the relation's columns match the Rust type it decodes into")]
    Nested {
        field: usize,
        rust_type: &'static str,
        reason: String,
    },
    /// The result of a relational load did not have the shape its
    /// statement promises (a bug in Strata, or a statement edited on the way).
    #[error("the result of a relational load is malformed: {0}")]
    MalformedLoad(String),
    /// `one()` found no row.
    #[error("the query returned no row; use `optional()` when a row may be missing")]
    NoRow,
    /// `one()` found more than one row.
    #[error("the query returned {0} rows where one was expected; add a filter on a unique key or `limit(1)`")]
    TooManyRows(usize),
    /// A savepoint inside the transaction was dropped before it ended (a
    /// timeout or a cancelled future around it), leaving its work in
    /// place: the whole transaction was rolled back rather than commit it.
    #[error("a transaction nested in this one was dropped before it ended (a timeout or a cancelled future around it); this transaction was rolled back so its partial work is not committed: let nested transactions finish, or time out the outermost one")]
    InnerTransactionAbandoned,
    /// A pooled connection could not be obtained.
    #[error("no connection from the pool: {0}")]
    Pool(String),
}
