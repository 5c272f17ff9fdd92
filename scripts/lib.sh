# Shared by scripts/start.sh and scripts/test.sh: install what is missing, skip what is there.
# shellcheck shell=bash

log() { printf '[fangpin] %s\n' "$*" >&2; }

# npm packages: `npm ci` when node_modules is missing or was installed from another package-lock.json.
ensure_node_modules() {
  local stamp="node_modules/.fangpin-lock.sha256" want
  want="$(sha256sum package-lock.json | cut -d' ' -f1)"
  if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ]; then return 0; fi
  log "installing npm packages (npm ci)"
  npm ci --no-audit --no-fund --loglevel=error
  echo "$want" > "$stamp"
}

# The workbench's build (web/ → dist/web, Vite): made when missing or older than any of its sources.
ensure_web() {
  local built="dist/web/index.html"
  if [ -f "$built" ] && [ -z "$(find web package-lock.json -newer "$built" -type f -print -quit)" ]; then return 0; fi
  log "building the workbench (web/ → dist/web)"
  node_modules/.bin/vite build --config web/vite.config.mjs
}

# The local servers (scripts/provision.sh): the Temporal CLI, and PostgreSQL with DocumentDB behind FerretDB v2.
# A server named by the environment (MONGODB_URI, TEMPORAL_ADDRESS) is not provisioned.
ensure_servers() {
  local wanted=()
  [ -n "${TEMPORAL_ADDRESS:-}" ] || wanted+=(temporal)
  [ -n "${MONGODB_URI:-}" ] || wanted+=(database)
  [ ${#wanted[@]} -eq 0 ] || bash scripts/provision.sh "${wanted[@]}"
}

# Headless Chromium for the dashboard's browser test: Debian's package (never a browser download), with a CJK font
# so its screenshots show Chinese. CHROMIUM_PATH points elsewhere when a browser is already installed.
ensure_chromium() {
  local path="${CHROMIUM_PATH:-/usr/bin/chromium}"
  if [ -x "$path" ] && { [ -n "${CHROMIUM_PATH:-}" ] || [ -d /usr/share/fonts/truetype/wqy ]; }; then return 0; fi
  if command -v apt-get >/dev/null 2>&1 && [ "$(id -u)" = 0 ]; then
    log "installing Debian's chromium and a CJK font for the browser test"
    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-wqy-microhei >/dev/null) \
      || log "could not install chromium; the browser test will say so"
  elif [ ! -x "$path" ]; then
    log "no Chromium at $path: install Debian's chromium package (or set CHROMIUM_PATH) for the browser test"
  fi
}
