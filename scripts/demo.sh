#!/usr/bin/env bash
# npm run demo: on a fresh machine installs what is missing (Debian packages for the rig, npm
# dependencies, the Action's bundles), then runs the Action's login, push, tag and a cloud build (ACR
# Tasks stand-in) against a local ACR rig.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/apt-deps.sh
[ -d node_modules ] || npm ci --no-audit --no-fund
[ -f dist/main.cjs ] && [ -f dist/post.cjs ] && [ -f dist/cloud-build.cjs ] || npm run build -w @acrkit/action
# Node trusts extra CAs only from the environment at start: create the rig CA first, then run the demo.
NODE_EXTRA_CA_CERTS="$(npx --no-install tsx -e "import('./test/rig/ca.ts').then(async (m) => process.stdout.write((await m.ensureRigCa()).certFile))")"
export NODE_EXTRA_CA_CERTS
exec npx --no-install tsx scripts/demo.ts
