#!/usr/bin/env bash
# Installs what is needed and runs the demo app: frontend on :3000, backend on
# :7007, embedded SQLite in .data/, the demo catalog from examples/.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/toolchain.sh
yarn install --immutable
exec yarn start "$@"
