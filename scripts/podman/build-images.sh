#!/usr/bin/env bash
# Builds the two server images from what scripts/provision.sh installed, with no base image to pull: a root
# filesystem holding the programs and the libraries they link, imported with `podman import`.
#   localhost/fangpin-ferretdb:v2.5.0   PostgreSQL 15 with DocumentDB, and FerretDB v2.5.0 in front of it;
#                                       the arguments are FerretDB's flags (PG_PORT: PostgreSQL's port inside)
#   localhost/fangpin-temporal:1.9.1    entrypoint /bin/temporal   (same command line as temporalio/temporal)
set -euo pipefail
cd "$(dirname "$0")/../.."
PG=/usr/lib/postgresql/15

# copy_with_libs ROOT FILE...: each file, the dynamic loader and every library it links, at the same paths
copy_with_libs() {
  local root="$1" file lib; shift
  for file in "$@"; do
    mkdir -p "$root$(dirname "$file")"
    cp -L "$file" "$root$file"
    for lib in $(ldd "$file" 2>/dev/null | grep -o '/[^ ]*'); do
      [ -e "$root$lib" ] && continue
      mkdir -p "$root$(dirname "$lib")"
      cp -L "$lib" "$root$lib"
    done
  done
}

import_image() { # root image entrypoint user
  tar -C "$1" -c . | podman import --change "ENTRYPOINT [\"$3\"]" --change "USER $4" - "$2" >/dev/null 2>&1
  rm -rf "$1"
  echo "[podman] built $2"
}

temporal_image() {
  local image="localhost/fangpin-temporal:1.9.1" root
  if podman image exists "$image"; then echo "[podman] $image exists"; return 0; fi
  root="$(mktemp -d)"
  mkdir -p "$root/tmp" "$root/data" "$root/etc"
  copy_with_libs "$root" "$(readlink -f .tools/bin/temporal)"
  mkdir -p "$root/bin" && mv "$root$(readlink -f .tools/bin/temporal)" "$root/bin/temporal"
  chmod 1777 "$root/tmp" "$root/data"
  echo "root:x:0:0:root:/:/bin/temporal" > "$root/etc/passwd"
  import_image "$root" "$image" /bin/temporal root
}

database_image() {
  local image="localhost/fangpin-ferretdb:v2.5.0" root lib
  if podman image exists "$image"; then echo "[podman] $image exists"; return 0; fi
  root="$(mktemp -d)"
  mkdir -p "$root/tmp" "$root/data" "$root/etc" "$root/bin" "$root/usr/share/postgresql"
  copy_with_libs "$root" /bin/sh "$(readlink -f /bin/sh)" "$PG/bin/postgres" "$PG/bin/initdb" "$PG/bin/pg_ctl" "$PG/bin/psql"
  # the extensions DocumentDB's CREATE EXTENSION … CASCADE loads, and PostgreSQL's own modules it needs
  for lib in pg_documentdb pg_documentdb_core pg_cron tsm_system_rows vector postgis-3 rum plpgsql dict_snowball; do
    copy_with_libs "$root" "$PG/lib/$lib.so"
  done
  cp -rL /usr/share/postgresql/15 "$root/usr/share/postgresql/"
  mkdir -p "$root/usr/share" && cp -r /usr/share/zoneinfo "$root/usr/share/"
  copy_with_libs "$root" "$PWD/.tools/bin/ferretdb"
  mv "$root$PWD/.tools/bin/ferretdb" "$root/bin/ferretdb"
  cat > "$root/bin/fangpin-database" <<'SH'
#!/bin/sh
# PostgreSQL with DocumentDB on PG_PORT (loopback), then FerretDB with the given flags in the foreground.
set -e
PG=/usr/lib/postgresql/15/bin
port="${PG_PORT:-5432}"
if [ ! -f /data/pg/PG_VERSION ]; then
  "$PG/initdb" -D /data/pg -A trust -U postgres -E UTF8 --locale=C --no-sync >/data/initdb.log
  # no programs but the shell's builtins here: printf appends the settings
  printf '%s\n' "shared_preload_libraries = 'pg_cron,pg_documentdb_core,pg_documentdb'" "cron.database_name = 'ferretdb'" \
    'cron.log_run = off' 'documentdb.indexBuildScheduleInSec = 60' "listen_addresses = '127.0.0.1'" >> /data/pg/postgresql.conf
fi
"$PG/pg_ctl" -D /data/pg -o "-p $port -k /tmp" -l /data/postgres.log -w start >/dev/null
"$PG/psql" -h 127.0.0.1 -p "$port" -U postgres -d postgres -qAtc 'CREATE DATABASE ferretdb' 2>/dev/null || true
"$PG/psql" -h 127.0.0.1 -p "$port" -U postgres -d ferretdb -qAtc 'CREATE EXTENSION IF NOT EXISTS documentdb CASCADE'
exec /bin/ferretdb --postgresql-url="postgres://postgres@127.0.0.1:$port/ferretdb" --no-auth --telemetry=disable --debug-addr= "$@"
SH
  chmod 755 "$root/bin/fangpin-database"
  chmod 1777 "$root/tmp" "$root/data"
  printf 'root:x:0:0:root:/:/bin/sh\npostgres:x:999:999:PostgreSQL:/data:/bin/sh\n' > "$root/etc/passwd"
  printf 'root:x:0:\npostgres:x:999:\n' > "$root/etc/group"
  import_image "$root" "$image" /bin/fangpin-database postgres
}

database_image
temporal_image
