#!/usr/bin/env bash
# The whole test suite: lint, then pytest against SQLite and a throwaway PostgreSQL server.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ -z "${COMITY_TEST_PG_URL:-}" ]; then
  eval "$(scripts/start-postgres.sh)"
  export COMITY_TEST_PG_URL
fi
ruff check src tests benchmarks
exec python -m pytest -q "$@"
