//! Strata's PostgreSQL dialect: SQL rendering and quoting (pure), catalog
//! introspection and connections (I/O), and private clusters for tests and
//! local development.

pub mod cluster;
pub mod connect;
pub mod dev_cluster;
pub mod error;
pub mod introspect;
pub mod quote;
pub mod render;
pub mod server_version;
pub use error::Error;
pub mod shadow;
pub mod source;
pub mod tls;
