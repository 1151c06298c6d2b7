//! Strata's PostgreSQL dialect: SQL rendering and quoting (pure), catalog
//! introspection and connections (I/O), and private clusters for tests and
//! local development.

pub mod cluster;
pub mod quote;
