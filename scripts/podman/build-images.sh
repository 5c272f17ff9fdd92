#!/usr/bin/env bash
# Builds the two server images from the provisioned binaries (.tools/bin), with no base image to pull: a root
# filesystem holding the binary and the C library it links, imported with `podman import`.
#   localhost/fangpin-ferretdb:v1.24.2   entrypoint /bin/ferretdb
#   localhost/fangpin-temporal:v1.5.1    entrypoint /bin/temporal   (same command line as temporalio/temporal)
set -euo pipefail
cd "$(dirname "$0")/../.."

image() { # name tag binary
  local name="$1" tag="$2" binary="$3" root
  if podman image exists "localhost/$name:$tag"; then echo "[podman] localhost/$name:$tag exists"; return 0; fi
  root="$(mktemp -d)"
  mkdir -p "$root/bin" "$root/tmp" "$root/data" "$root/etc"
  cp ".tools/bin/$binary" "$root/bin/"
  # the dynamic loader and every library the binary links (Go binaries here: libc only)
  for lib in $(ldd ".tools/bin/$binary" | grep -o '/[^ ]*'); do
    mkdir -p "$root$(dirname "$lib")"
    cp -L "$lib" "$root$lib"
  done
  chmod 1777 "$root/tmp" "$root/data"
  echo "root:x:0:0:root:/:/bin/$binary" > "$root/etc/passwd"
  tar -C "$root" -c . | podman import --change "ENTRYPOINT [\"/bin/$binary\"]" - "localhost/$name:$tag" >/dev/null 2>&1
  rm -rf "$root"
  echo "[podman] built localhost/$name:$tag"
}

image fangpin-ferretdb v1.24.2 ferretdb
image fangpin-temporal v1.5.1 temporal
