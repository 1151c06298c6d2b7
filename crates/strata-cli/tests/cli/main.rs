//! End-to-end tests of the `strata` binary against a real PostgreSQL (one
//! private cluster for this test process, a fresh database per test).

mod common;
mod diff;
mod errors;
mod generate;
mod inspect;
