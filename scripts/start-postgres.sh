#!/usr/bin/env bash
# Start a throwaway PostgreSQL server for the tests on 127.0.0.1 and print its URL.
# Installs Debian's postgresql when it is not on the machine. Usage: eval "$(scripts/start-postgres.sh)"
set -euo pipefail
PORT="${COMITY_PG_PORT:-55432}"
DIR="${COMITY_PG_DIR:-/tmp/comity-pg}"
bindir=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)
if [ -z "$bindir" ] || [ ! -x "$bindir/initdb" ]; then
  if [ "$(id -u)" = 0 ]; then
    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null) >&2
  else
    echo "PostgreSQL is not installed and this user cannot install it" >&2; exit 1
  fi
  bindir=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)
fi
run() { if [ "$(id -u)" = 0 ]; then su postgres -s /bin/sh -c "$*"; else sh -c "$*"; fi; }
if [ -f "$DIR/postmaster.pid" ] && run "$bindir/pg_ctl -D $DIR status" >/dev/null 2>&1; then
  :
else
  rm -rf "$DIR"; mkdir -p "$DIR"
  [ "$(id -u)" = 0 ] && chown postgres "$DIR"
  run "$bindir/initdb -D $DIR -U postgres -A trust --no-sync" >/dev/null
  run "$bindir/pg_ctl -D $DIR -o '-p $PORT -k /tmp -c listen_addresses=127.0.0.1 -c fsync=off' -l $DIR/log -w start" >/dev/null
fi
echo "export COMITY_TEST_PG_URL=postgresql://postgres@127.0.0.1:$PORT/postgres"
