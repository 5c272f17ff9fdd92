#!/usr/bin/env bash
# `npm run bench`: the benchmarks on servers of their own (fresh data), figures beside same-run baselines.
# Sizes and budgets: BENCH_* variables (bench/run.ts). Writes bench/results/latest.md. FerretDB runs on PostgreSQL
# when it is available (FANGPIN_FERRETDB_BACKEND=sqlite to compare).
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib.sh
ensure_node_modules
ensure_binaries
# FerretDB on Debian's PostgreSQL scans far faster than on SQLite; use it when the server is installed (or installable)
if [ -z "${MONGODB_URI:-}" ] && [ -z "${FANGPIN_FERRETDB_BACKEND:-}" ]; then
  if ! ls /usr/lib/postgresql/*/bin/pg_ctl >/dev/null 2>&1 && command -v apt-get >/dev/null 2>&1 && [ "$(id -u)" = 0 ]; then
    log "installing Debian's postgresql for FerretDB's PostgreSQL backend"
    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null) || true
  fi
  if ls /usr/lib/postgresql/*/bin/pg_ctl >/dev/null 2>&1; then export FANGPIN_FERRETDB_BACKEND=postgresql; fi
fi
exec node --import tsx bench/run.ts
