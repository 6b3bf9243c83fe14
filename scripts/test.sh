#!/usr/bin/env bash
# Installs what is needed and runs the whole test suite:
#   type check, lint and formatting of every package; the structure check
#   (no import cycle, no source file above 600 lines); the API reports;
#   unit, component and database tests (SQLite and PostgreSQL) with Jest;
#   reliability tests with real backend processes (replicas, database faults);
#   browser tests against the running app with Playwright and Debian's Chromium;
#   the install test (scripts/install-test.sh): the packed packages in fresh apps.
# Results and screenshots land in artifacts/.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/toolchain.sh
yarn install --immutable
bash scripts/ensure-test-services.sh

export CI="${CI:-true}"
export BACKSTAGE_TEST_DISABLE_DOCKER=1
export BACKSTAGE_TEST_DATABASE_POSTGRES15_CONNECTION_STRING="${BACKSTAGE_TEST_DATABASE_POSTGRES15_CONNECTION_STRING:-postgresql://postgres@127.0.0.1:5432}"
export PLAYWRIGHT_JSON_OUTPUT_NAME=artifacts/playwright-results.json

rm -rf artifacts && mkdir -p artifacts

step() { printf '\n=== %s\n' "$*"; }

step "type check"
yarn tsc
step "lint"
yarn lint:all
step "formatting"
yarn prettier:check
step "structure: import cycles and file sizes"
yarn check:structure
# Reads the declarations that `yarn tsc` wrote to dist-types/ above.
step "API reports: each published package's public API matches its report.api.md"
yarn build:api-reports:only --ci
# Both suites run even when the first fails, so one run shows every failure.
status=0
step "unit, component and database tests"
# testTimeout is a global Jest option: the packages' own settings do not reach a
# multi-project run, and a loaded 2-core machine pushes form tests past 5 s.
yarn backstage-cli repo test --testTimeout=60000 --json --outputFile=artifacts/jest-results.json || status=1
# Real backend processes: two replicas on one database, and database faults
# under load. They stop and restart the PostgreSQL server, so they run alone,
# after the other database tests; PostgreSQL runs again before the browser tests.
step "reliability tests: replicas and database faults (packages/bench/src/reliability)"
yarn workspace @release-readiness/bench test:reliability --json \
  --outputFile="$PWD/artifacts/jest-reliability.json" || status=1
bash scripts/ensure-test-services.sh || status=1
step "browser tests (app log: artifacts/app-start.log, screenshots: artifacts/screenshots)"
yarn playwright test --reporter=list,json || status=1
# The packed packages installed into fresh create-app apps, wired by the READMEs.
step "install test: packed packages in fresh apps (logs: artifacts/install-test)"
install_test=passed
bash scripts/install-test.sh || { status=1; install_test=FAILED; }

node scripts/test-summary.mjs artifacts/jest-results.json \
  artifacts/jest-reliability.json artifacts/playwright-results.json || status=1
echo "install test (scripts/install-test.sh): $install_test"
exit "$status"
