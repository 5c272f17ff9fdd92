#!/usr/bin/env bash
# Quick start, command 1: the whole service on embedded defaults (Temporal dev server + FerretDB/SQLite + API + worker).
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib.sh
ensure_node_modules
ensure_binaries
exec node_modules/.bin/tsx scripts/run-local.ts "$@"
