#!/usr/bin/env bash
# Runs before `npm test` so that the README's test command works on a fresh Debian machine: the Debian
# packages the rig needs, npm dependencies, Node 24 (the Action's runtime), the extension's bundle and the
# VS Code server for the real-VS-Code tests. Each step is skipped when already done, so it is quick in CI.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/apt-deps.sh
[ -d node_modules/vitest ] || npm ci --no-audit --no-fund
bash scripts/ensure-node24.sh >/dev/null
[ -f packages/vscode/dist/extension.cjs ] || npm run build -w acrkit-vscode >/dev/null
log="${TMPDIR:-/tmp}/acrkit-vscode-host-install.log"
bash packages/vscode/scripts/install-vscode-host.sh >"$log" 2>&1 || { cat "$log"; exit 1; }
