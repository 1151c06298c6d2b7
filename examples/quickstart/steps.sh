#!/usr/bin/env bash
# The quickstart's steps. Needs DATABASE_URL (an empty database) and
# STRATA_DEV_URL (a server where throw-away shadow databases may be created);
# examples/quickstart.sh provides both.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
step() { printf '\n\033[1m== %s\033[0m\n' "$*"; }

step "1. The SQL that creates schema v1 (from .sql files, checked in a shadow database)"
strata inspect --from "$here/v1" --format sql

step "2. Diff the empty database against v1 and apply it"
strata diff --from "$DATABASE_URL" --to "$here/v1" > "$work/v1.sql"
psql -q -v ON_ERROR_STOP=1 "$DATABASE_URL" -f "$work/v1.sql"
psql -q "$DATABASE_URL" -c "INSERT INTO schools (name) VALUES ('North'); INSERT INTO users (school_id, full_name, score) VALUES (1, 'Ada', 95);"

step "3. v1 -> v2: a renamed column (by hint, never guessed), a new enum value, a type change with USING, a view"
strata diff --from "$DATABASE_URL" --to "$here/v2" --rename column:public.users.full_name=name | tee "$work/v2.sql"
psql -q -v ON_ERROR_STOP=1 "$DATABASE_URL" -f "$work/v2.sql"

step "4. The data survived, and the database now matches v2 (drift check exits 0)"
psql -q "$DATABASE_URL" -c "SELECT id, name, role, score FROM top_users JOIN users USING (id, name, score);"
strata diff --from "$DATABASE_URL" --to "$here/v2" --exit-code
echo "no drift"

step "5. Snapshot of the live database (JSON), and the classified change list of going back to v1"
strata inspect --from "$DATABASE_URL" --format json > "$work/snapshot.json"
echo "snapshot: $(wc -c < "$work/snapshot.json") bytes"
strata diff --from "$work/snapshot.json" --to "$here/v1" --rename column:public.users.name=full_name --format json | head -40
