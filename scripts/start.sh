#!/usr/bin/env bash
# Installs what is needed and runs the demo app: frontend on :3000, backend on
# :7007, embedded SQLite in .data/, the demo catalog from examples/, and demo
# release gates seeded through the API on first start (SEED_DEMO=0 skips it).
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/toolchain.sh
yarn install --immutable

if [ "${SEED_DEMO:-1}" != 0 ]; then
  (node scripts/seed-demo.mjs || echo "seed-demo: failed; the app runs without demo gates" >&2) &
fi
exec yarn start "$@"
