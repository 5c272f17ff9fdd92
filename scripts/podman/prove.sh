#!/usr/bin/env bash
# Proves the testcontainers provider on a machine with no Docker engine: Debian's podman (as root, runc, lower
# default ulimits) serves a Docker-compatible socket, images are built locally from the provisioned binaries, and
# a part of the test suite runs with its servers started by testcontainers, on the host network (loopback only).
# Used by .ci/run after `npm test`. Needs root and apt (or podman already installed and configured).
set -euo pipefail
cd "$(dirname "$0")/../.."
source scripts/lib.sh

if ! command -v podman >/dev/null 2>&1 || ! command -v runc >/dev/null 2>&1; then
  log "installing Debian's podman and runc"
  apt_install podman runc
fi
if [ ! -f /etc/containers/containers.conf ]; then
  mkdir -p /etc/containers
  cat > /etc/containers/containers.conf <<'CONF'
[containers]
default_ulimits = ["nofile=20000:20000", "nproc=32768:32768"]

[engine]
runtime = "runc"
CONF
fi

socket=/run/podman/podman.sock
ping_socket() {
  node -e "require('http').get({socketPath: process.argv[1], path: '/_ping'}, (r) => process.exit(r.statusCode === 200 ? 0 : 1)).on('error', () => process.exit(1))" "$socket"
}
if ! ping_socket; then
  mkdir -p /run/podman
  podman system service --time=0 "unix://$socket" >/tmp/fangpin-podman-service.log 2>&1 &
  service_pid=$!
  # the service is ours: stop it when the proof ends, so nothing outlives the CI run
  trap 'kill "$service_pid" 2>/dev/null || true' EXIT
  for _ in $(seq 1 50); do ping_socket && break; sleep 0.2; done
fi
bash scripts/podman/build-images.sh

export DOCKER_HOST="unix://$socket"
export TESTCONTAINERS_RYUK_DISABLED=true
export TESTCONTAINERS_HOST_OVERRIDE=127.0.0.1
export FANGPIN_CONTAINER_NETWORK=host
export FANGPIN_MONGO_IMAGE=localhost/fangpin-ferretdb:v2.5.0
export FANGPIN_TEMPORAL_IMAGE=localhost/fangpin-temporal:1.9.1
unset MONGODB_URI TEMPORAL_ADDRESS

out="$(mktemp)"
node_modules/.bin/jest test/integration/canary-workflow.test.ts test/integration/claim-lifecycle.test.ts 2>&1 | tee "$out"
grep -q '\[test stack\] mongodb via testcontainers, temporal via testcontainers' "$out" \
  || { log "the servers did not come from testcontainers"; exit 1; }
log "testcontainers provider proven through podman"
