#!/usr/bin/env bash
# Quick start, command 1: the whole service on embedded defaults (Temporal dev server, FerretDB v2 on PostgreSQL with DocumentDB, API, worker, simulators).
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib.sh
ensure_node_modules
ensure_web
ensure_cjk_font
ensure_servers
# node with tsx's loader, never the tsx CLI: its wrapper process would stand between the signal and the code that
# stops everything (and force-kill it first)
exec node --import tsx scripts/run-local.ts "$@"
