#!/usr/bin/env bash
# Installs what is needed and runs the demo app: frontend on :3000, backend on
# :7007, embedded SQLite in .data/, the demo catalog from examples/, and demo
# history (six months, written straight into the database) and today's release
# gates (seeded through the API) on first start (SEED_DEMO=0 skips both).
#
# With --production, the frontend is a production build (packages/app/dist,
# built again only when its sources changed) that the backend serves on :7007
# through app-config.production-demo.yaml; there is no dev server. The backend
# still runs in development, so the demo sign-in stays. Any further arguments
# go to the backend (or to `yarn start`), e.g. another --config.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/toolchain.sh

production=0
if [ "${1:-}" = --production ]; then
  production=1
  shift
fi

yarn install --immutable

if [ "${SEED_DEMO:-1}" != 0 ]; then
  # Six months of history for the demo catalog, written before the backend
  # starts (the API cannot backdate), then today's gates through the API.
  node --require @backstage/cli-node/config/nodeTransform.cjs \
    packages/bench/src/generate/demoCli.ts .data/release-readiness.sqlite
  (node scripts/seed-demo.mjs || echo "seed-demo: failed; the app runs without demo gates" >&2) &
fi

if [ "$production" = 0 ]; then
  exec yarn start "$@"
fi

# What the frontend bundle is built from: the content of every file git knows
# (or would add) under these paths. Outside a git checkout it is empty, and
# the frontend is built every time.
frontend_sources_hash() {
  git rev-parse --is-inside-work-tree >/dev/null 2>&1 || return 0
  git ls-files -z --cached --others --exclude-standard -- \
    packages/app plugins/release-readiness plugins/release-readiness-common \
    package.json yarn.lock app-config.yaml |
    while IFS= read -r -d '' file; do
      # A tracked file deleted in the work tree is still listed.
      if [ -f "$file" ]; then printf '%s\0' "$file"; fi
    done |
    xargs -0 sha1sum | sha1sum | cut -d' ' -f1
}

# The stamp lives in dist/, which every build empties first.
stamp=packages/app/dist/.sources-sha1
hash="$(frontend_sources_hash)"
if [ -n "$hash" ] && [ -f packages/app/dist/index.html ] &&
  [ "$(cat "$stamp" 2>/dev/null)" = "$hash" ]; then
  echo "start: the frontend build in packages/app/dist is up to date" >&2
else
  echo "start: building the frontend (packages/app/dist)" >&2
  yarn workspace app build
  if [ -n "$hash" ]; then echo "$hash" >"$stamp"; fi
fi

exec yarn workspace backend start \
  --config ../../app-config.yaml \
  --config ../../app-config.production-demo.yaml "$@"
