//! The conformance runner: proves on a real server that Strata's diff takes
//! a database from each corpus case's current state to its desired state.
//!
//! Per case, in two fresh databases: load `current.sql` and `desired.sql`,
//! introspect both, plan the migration, apply its `up` statements to the
//! current database, then require (1) our introspection of the result to
//! equal the desired model, (2) `pg_dump --schema-only` of both databases to
//! match after normalization (a check that does not trust our introspection),
//! and (3) a second diff to be empty. Cases whose states are declared equal
//! must give an empty diff to begin with.
//!
//! The ratchet (`expected-failures.toml`, `ratchet.toml`) turns the counts into
//! a CI gate: see [`expectations`].

pub mod case;
pub mod compare;
pub mod dump;
pub mod engine;
pub mod error;
pub mod expectations;
pub mod outcome;
pub mod rename;
pub mod roles;
pub mod runner;

pub use case::{load_corpus, Case, StatesCompare};
pub use error::{server_error, ConformanceError};
pub use expectations::{Expectations, Verdict};
pub use outcome::{CaseResult, Outcome};
pub use runner::{run_case, ServerInfo};
