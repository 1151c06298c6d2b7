#!/usr/bin/env bash
# Quickstart, end to end, with nothing set up by hand: builds `strata` and the
# school example's `db` binary (its schema declared as Rust types), then runs
# examples/quickstart/steps.sh in a fresh project folder with its own local
# PostgreSQL (`strata dev`, no Docker), stopped and removed at the end.
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --quiet -p strata-cli -p strata-example-school
export PATH="$PWD/target/debug:$PATH"
exec bash examples/quickstart/steps.sh
