#!/usr/bin/env bash
# Installs what is needed and runs the demo app: frontend on :3000, backend on
# :7007, embedded SQLite in .data/, the demo catalog from examples/, and demo
# history (six months, written straight into the database) and today's release
# gates (seeded through the API) on first start (SEED_DEMO=0 skips both).
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/toolchain.sh
yarn install --immutable

if [ "${SEED_DEMO:-1}" != 0 ]; then
  # Six months of history for the demo catalog, written before the backend
  # starts (the API cannot backdate), then today's gates through the API.
  node --require @backstage/cli-node/config/nodeTransform.cjs \
    packages/bench/src/generate/demoCli.ts .data/release-readiness.sqlite
  (node scripts/seed-demo.mjs || echo "seed-demo: failed; the app runs without demo gates" >&2) &
fi
exec yarn start "$@"
