#!/usr/bin/env bash
# The whole test suite: lint, then pytest against SQLite, a throwaway PostgreSQL server and Debian's
# headless Chromium (both installed and started here when the machine lacks them).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-browser.sh
if [ -z "${COMITY_TEST_PG_URL:-}" ]; then
  eval "$(scripts/start-postgres.sh)"
  export COMITY_TEST_PG_URL
fi
ruff check src tests benchmarks
ruff format --check src tests benchmarks
exec python -m pytest -q "$@"
