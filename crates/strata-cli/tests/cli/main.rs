//! End-to-end tests of the `strata` binary against a real PostgreSQL (one
//! private cluster for this test process, a fresh database per test).

mod common;
mod config;
mod dev;
mod diff;
mod drizzle_real;
mod errors;
mod generate;
mod import;
mod inspect;
mod interrupt;
mod migrate;
mod pgbouncer;
mod project;
mod push;
mod reliability;
mod tls;
