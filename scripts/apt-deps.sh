#!/usr/bin/env bash
# Installs the Debian packages the tests and the local rig need, when any is missing.
set -euo pipefail
PKGS=(docker-registry skopeo buildah busybox-static openssl chromium libkrb5-dev ripgrep time curl)
missing=()
for p in "${PKGS[@]}"; do dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p"); done
if [ ${#missing[@]} -gt 0 ]; then
  echo "installing Debian packages: ${missing[*]}"
  SUDO=""; [ "$(id -u)" = 0 ] || SUDO=sudo
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${missing[@]}"
fi
