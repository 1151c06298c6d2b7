#!/usr/bin/env bash
# The quickstart's steps; examples/quickstart.sh puts `strata` and the school
# example's `db` binary on PATH first.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
app="$(mktemp -d)"
sql="$(mktemp -d)"
# The dev database runs as the `postgres` OS user when we are root: it must
# be able to enter the project folders.
chmod 755 "$app" "$sql"
cleanup() {
  (cd "$app" && strata dev stop >/dev/null 2>&1) || true
  (cd "$sql" && strata dev stop >/dev/null 2>&1) || true
  rm -rf "$app" "$sql"
}
trap cleanup EXIT
step() { printf '\n\033[1m== %s\033[0m\n' "$*"; }

step "1. A project: strata.toml and a migrations folder; a local PostgreSQL without Docker"
cd "$app"
strata init
strata dev start
strata dev status

step "2. The schema is Rust types (examples/school): generate the first migration from them"
db generate --name school
ls migrations/*/
head -n 12 migrations/0001_school/up.sql

step "3. Apply it to the dev database, then a query"
db migrate
strata dev psql -q -c "INSERT INTO schools (name) VALUES ('North');
  INSERT INTO students (sis_id, first_name, last_name, grade_level, school_id) VALUES ('S1', 'Ada', 'Lovelace', '5', 1);" \
  -c "SELECT id, sis_id, first_name, last_name FROM active_students;"

step "4. Status, the drift check (exit 0: the database is what the code says), and a no-op generate"
db status
db diff --from "$(strata dev url)" --to app --exit-code && echo "no drift"
db generate --name nothing

step "5. SQL files instead of Rust: v1, then v2 with a renamed column (said, never guessed)"
cd "$sql"
strata init >/dev/null
strata dev start
strata generate --to "$here/v1" --name v1
strata migrate
strata dev psql -q -c "INSERT INTO schools (name) VALUES ('North'); INSERT INTO users (school_id, full_name, score) VALUES (1, 'Ada', 95);"
# Without a terminal an unanswered possible rename stops generate (exit 2) and names the flag.
strata generate --to "$here/v2" --name v2 || echo "(exit $?: generate asks about the rename)"
strata generate --to "$here/v2" --name v2 --rename column:public.users.full_name=name
cat migrations/0002_v2/up.sql
strata migrate
strata dev psql -q -c "SELECT id, name, role, score FROM top_users JOIN users USING (id, name, score);"

step "6. Roll the last migration back and forward again; the data is still there"
strata rollback
strata status
strata migrate
strata dev psql -q -c "SELECT name FROM users;"
