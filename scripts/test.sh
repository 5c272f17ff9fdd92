#!/usr/bin/env bash
# Quick start, command 2: every check and test, against real servers. Extra arguments go to jest.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib.sh
ensure_node_modules
ensure_web
ensure_servers temporal-server
ensure_chromium
started=$(date +%s)
log "typecheck"; node_modules/.bin/tsc -p tsconfig.json --noEmit; node_modules/.bin/vue-tsc --noEmit -p web/tsconfig.json
log "lint"; node_modules/.bin/eslint .
log "tests"; node_modules/.bin/jest "$@"
log "checks and tests took $(( $(date +%s) - started )) s"
