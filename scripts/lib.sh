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

# The local servers (scripts/provision.sh): the Temporal CLI, and PostgreSQL with DocumentDB behind FerretDB v2;
# the Temporal server itself too when FANGPIN_TEMPORAL=cluster, or when asked (`ensure_servers temporal-server`: the
# tests' cluster kill test). A server named by the environment (MONGODB_URI, TEMPORAL_ADDRESS) is not provisioned.
ensure_servers() {
  local wanted=()
  [ -n "${TEMPORAL_ADDRESS:-}" ] || wanted+=(temporal)
  [ -n "${MONGODB_URI:-}" ] || wanted+=(database)
  if [ "${1:-}" = temporal-server ] || { [ "${FANGPIN_TEMPORAL:-}" = cluster ] && [ -z "${TEMPORAL_ADDRESS:-}" ]; }; then
    wanted+=(temporal-server)
  fi
  [ ${#wanted[@]} -eq 0 ] || bash scripts/provision.sh "${wanted[@]}"
}

# apt-get install, waiting up to 10 minutes for the dpkg lock another apt-get may hold.
apt_install() {
  apt-get -o DPkg::Lock::Timeout=600 update -qq \
    && DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600 install -y -qq "$@" >/dev/null
}

# Debian packages, each installed when the file it brings is missing (as root; otherwise one line says what to install).
ensure_debian_packages() {
  local missing=() pair
  for pair in "$@"; do [ -e "${pair%%=*}" ] || missing+=("${pair#*=}"); done
  [ ${#missing[@]} -eq 0 ] && return 0
  if command -v apt-get >/dev/null 2>&1 && [ "$(id -u)" = 0 ]; then
    log "installing Debian's ${missing[*]}"
    apt_install "${missing[@]}" || log "could not install ${missing[*]}"
  else
    log "missing Debian packages: ${missing[*]} (install them as root)"
  fi
}

# The CJK font the printable public notice (PDF) is set in: Debian's fonts-wqy-microhei (NOTICE_FONT names another).
ensure_cjk_font() {
  [ -n "${NOTICE_FONT:-}" ] || ensure_debian_packages /usr/share/fonts/truetype/wqy/wqy-microhei.ttc=fonts-wqy-microhei
}

# For the tests: headless Chromium for the browser tests (Debian's package, never a browser download; CHROMIUM_PATH
# points elsewhere), the CJK font (screenshots and the notice PDF) and poppler-utils (the PDF's text is read back).
ensure_chromium() {
  ensure_cjk_font
  ensure_debian_packages /usr/bin/pdftotext=poppler-utils
  [ -n "${CHROMIUM_PATH:-}" ] || ensure_debian_packages /usr/bin/chromium=chromium
}
