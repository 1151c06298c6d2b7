#!/usr/bin/env bash
# Quickstart, end to end on a throw-away PostgreSQL: builds `strata`, then runs
# examples/quickstart/steps.sh against a fresh private server.
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --quiet -p strata-cli -p strata-testkit
export PATH="$PWD/target/debug:$PATH"
exec with-scratch-postgres bash examples/quickstart/steps.sh
