#!/usr/bin/env bash
# The install test (issue 17): the five published packages, packed exactly as
# they would be published, installed into fresh apps made by
# @backstage/create-app 0.9.2 (Backstage 1.55.0) and wired only by the steps of
# the package READMEs (scripts/install-test/wire.mjs applies their code blocks).
# For each variant the app type-checks, its frontend builds, its backend starts
# and answers /api/release-readiness/health and /templates, and in Chromium a
# component page shows the Readiness tab, which renders.
#
#   1. new frontend system, feature discovery (the template's app.packages: all),
#      backend with the package's own permission policy (README module);
#   2. the same app with the plugin in App.tsx's features and left out of
#      discovery (only App.tsx and app-config.yaml change: one rebuild);
#   3. legacy app (--legacy): EntityPage.tsx tab and card, App.tsx route,
#      the template's allow-all policy.
#
# The apps live in a temporary directory outside the repository and use the
# shared Yarn cache, so the second install reuses the first one's downloads
# (its yarn.lock is seeded with the first app's resolutions). Install scripts
# are off: none of our packages has one, and the native modules of the
# template (better-sqlite3, tree-sitter, ssh2) would cost minutes per app; the
# apps' backends therefore run on the test PostgreSQL, in databases of their
# own that are dropped at the end. Logs and screenshots: artifacts/install-test/.
#
# Environment: INSTALL_TEST_PORT (default 7107), INSTALL_TEST_KEEP=1 keeps the
# apps, BACKSTAGE_TEST_DATABASE_POSTGRES15_CONNECTION_STRING the PostgreSQL.
set -euo pipefail
cd "$(dirname "$0")/.."
REPO="$PWD"
. scripts/toolchain.sh

CREATE_APP='@backstage/create-app@0.9.2'
# Backstage 1.55.0 (create-app 0.9.2) came out on 2026-09-18; its template
# already asks for a patch published two days later
# (@backstage/plugin-mcp-actions-backend ^0.2.2, 2026-09-20), so the cut-off
# leaves a week for the release's patches, long before the next release.
RELEASE_DAY='2026-09-25'
PORT="${INSTALL_TEST_PORT:-7107}"
BASE_URL="http://localhost:$PORT"
PG_URL="${BACKSTAGE_TEST_DATABASE_POSTGRES15_CONNECTION_STRING:-postgresql://postgres@127.0.0.1:5432}"
LOGS="$REPO/artifacts/install-test"
WORK="$(mktemp -d "${TMPDIR:-/tmp}/rr-install-test.XXXXXX")"
DB_PREFIX="rrit_$(basename "$WORK" | sed 's/.*\.//' | tr 'A-Z' 'a-z' | tr -dc 'a-z0-9')_"
NFS_APP="$WORK/nfs-app"
LEGACY_APP="$WORK/legacy-app"
PACKAGES=(plugins/release-readiness-common plugins/release-readiness-node plugins/release-readiness
  plugins/release-readiness-backend packages/cli)

# The registry comes from npm's configuration at run time (toolchain.sh);
# CI=true would make Yarn refuse to write the new apps' lockfiles.
export YARN_NPM_REGISTRY_SERVER="${YARN_NPM_REGISTRY_SERVER:-$(npm config get registry)}"
export YARN_ENABLE_IMMUTABLE_INSTALLS=false
export YARN_ENABLE_GLOBAL_CACHE=true
export YARN_ENABLE_SCRIPTS=false
export YARN_ENABLE_TELEMETRY=0
export YARN_ENABLE_PROGRESS_BARS=false

rm -rf "$LOGS" && mkdir -p "$LOGS"
backend_pid=''
step_no=0
started=$SECONDS

stop_backend() {
  # started by a step, which runs in a subshell: its pid is in a file
  backend_pid="$(cat "$WORK/backend.pid" 2>/dev/null || true)"
  rm -f "$WORK/backend.pid"
  if [ -n "$backend_pid" ]; then
    kill -- "-$backend_pid" 2>/dev/null || true
    for _ in $(seq 1 30); do
      kill -0 "$backend_pid" 2>/dev/null || break
      sleep 1
    done
    kill -9 -- "-$backend_pid" 2>/dev/null || true
    backend_pid=''
  fi
}

drop_databases() {
  PG_URL="$PG_URL" DB_PREFIX="$DB_PREFIX" node -e '
    const { Client } = require("pg");
    (async () => {
      const c = new Client({ connectionString: process.env.PG_URL });
      await c.connect();
      const { rows } = await c.query(
        "select datname from pg_database where starts_with(datname, $1)",
        [process.env.DB_PREFIX]);
      for (const r of rows) await c.query(`drop database "${r.datname}" with (force)`);
      await c.end();
    })().catch(e => { console.error(e.message); process.exit(1); });'
}

cleanup() {
  stop_backend
  drop_databases || echo "install test: could not drop the databases $DB_PREFIX*" >&2
  if [ "${INSTALL_TEST_KEEP:-}" = 1 ]; then
    echo "install test: apps kept in $WORK"
  else
    rm -rf "$WORK"
  fi
}
trap cleanup EXIT

# Runs one step with its output in its own log; on failure, names the step and
# shows the end of its log.
step() {
  local name="$1"
  shift
  step_no=$((step_no + 1))
  local log
  log="$LOGS/$(printf '%02d' "$step_no")-$(echo "$name" | tr 'A-Z ' 'a-z-' | tr -dc 'a-z0-9-' | cut -c1-60).log"
  printf '\n--- install test %02d: %s\n' "$step_no" "$name"
  local t0=$SECONDS rc=0
  # In the background, not under `if`: there bash would ignore set -e inside
  # the step's function, and a failing command in its middle would pass.
  "$@" >"$log" 2>&1 &
  wait $! || rc=$?
  if [ "$rc" != 0 ]; then
    printf '\n!!! install test FAILED at step %02d: %s (%ss; log: %s)\n' \
      "$step_no" "$name" "$((SECONDS - t0))" "${log#"$REPO"/}"
    tail -n 40 "$log" | sed 's/^/    /'
    exit 1
  fi
  printf '    ok (%ss)\n' "$((SECONDS - t0))"
}

build_and_pack() {
  yarn tsc
  for p in "${PACKAGES[@]}"; do
    (cd "$p" && yarn backstage-cli package build)
  done
  mkdir -p "$WORK/packed"
  for p in "${PACKAGES[@]}"; do
    # yarn pack runs prepack/postpack and replaces workspace: ranges.
    (cd "$p" && yarn pack --out "$WORK/packed/%s-%v.tgz")
  done
  # Apache-2.0 travels with each package: LICENSE and NOTICE, as in the root.
  for f in "$WORK"/packed/*.tgz; do
    for legal in LICENSE NOTICE; do
      tar xzf "$f" -O "package/$legal" | cmp - "$legal" ||
        { echo "$f: package/$legal missing or not the repository's $legal"; return 1; }
    done
  done
  # A name per content, so the shared cache never serves an earlier build.
  for f in "$WORK"/packed/*.tgz; do
    mv "$f" "${f%.tgz}-$(sha256sum "$f" | cut -c1-12).tgz"
  done
  ls -l "$WORK/packed"
}

create_app() {
  local dir="$1" name="$2"
  shift 2
  echo "$name" | npm exec --yes --package="$CREATE_APP" -- \
    backstage-create-app --path "$dir" --skip-install "$@" | tee "$WORK/$name.log"
  grep -q '"version": "1.55.0"' "$dir/backstage.json"
  if grep -q 'yarn.lock seed ✔' "$WORK/$name.log"; then
    echo "the yarn.lock seed was fetched: the template's age gate stays"
  else
    release_day_age_gate "$dir"
  fi
}

# create-app seeds yarn.lock with the release's resolutions from GitHub; where
# that fetch fails (as here), caret ranges pull later Backstage packages into
# the app (e.g. a signals backend that needs a newer backend-defaults, and the
# backend does not start). The template's own age gate then stands in for the
# seed: nothing published after the release's week ($RELEASE_DAY), @backstage/*
# included, as scripts/pin-backstage-release.mjs does for this repository;
# only our packages' own dependencies are exempt.
release_day_age_gate() {
  local yarnrc="$1/.yarnrc.yml" minutes
  minutes=$((($(date +%s) - $(date -d "${RELEASE_DAY}T23:59:59Z" +%s)) / 60 + 1))
  grep -q '^npmMinimalAgeGate: ' "$yarnrc"
  sed -i "s/^npmMinimalAgeGate: .*/npmMinimalAgeGate: ${minutes}m/" "$yarnrc"
  # The template exempts @backstage/* (the key and its list go); what is exempt
  # now are the other dependencies of our own packages, which may be newer
  # than the release (e.g. cron-parser).
  sed -i '/^npmPreapprovedPackages:/,/^[^ ]/{/^npmPreapprovedPackages:/d;/^  - /d}' "$yarnrc"
  {
    echo 'npmPreapprovedPackages:'
    for f in "$WORK"/packed/*.tgz; do
      tar xzf "$f" -O package/package.json |
        node -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>{
          for (const n of Object.keys(JSON.parse(s).dependencies ?? {}))
            if (!/^@(backstage|release-readiness)\//.test(n)) console.log(`  - "${n}"`)})'
    done | sort -u
  } >>"$yarnrc"
  echo "no yarn.lock seed: packages published by $RELEASE_DAY only (npmMinimalAgeGate: ${minutes}m)"
  cat "$yarnrc"
}

# The packed tarballs stand in for the registry: the root `resolutions` send
# every @release-readiness/* range to them (the README's `yarn add` ranges).
use_tarballs() {
  local app="$1"
  mkdir -p "$app/rr-packages"
  cp "$WORK"/packed/*.tgz "$app/rr-packages/"
  APP="$app" node -e '
    const fs = require("fs"), path = require("path");
    const app = process.env.APP;
    const root = JSON.parse(fs.readFileSync(path.join(app, "package.json")));
    for (const f of fs.readdirSync(path.join(app, "rr-packages"))) {
      const pkg = JSON.parse(require("child_process").execFileSync(
        "tar", ["xzf", path.join(app, "rr-packages", f), "-O", "package/package.json"]));
      root.resolutions[pkg.name] = `file:./rr-packages/${f}`;
    }
    fs.writeFileSync(path.join(app, "package.json"), JSON.stringify(root, null, 2) + "\n");
    console.log(root.resolutions);'
}

wire() { node "$REPO/scripts/install-test/wire.mjs" "$1" "$2" "$REPO"; }

create_apps() {
  create_app "$NFS_APP" rr-install-nfs
  create_app "$LEGACY_APP" rr-install-legacy --legacy
  for app in "$NFS_APP" "$LEGACY_APP"; do
    use_tarballs "$app"
    wire dependencies "$app"
    wire backend "$app"
    cat >"$app/app-config.install-test.yaml" <<EOF
# The install test's port and database (scripts/install-test.sh).
app:
  baseUrl: $BASE_URL
backend:
  baseUrl: $BASE_URL
  listen:
    port: $PORT
  cors:
    origin: $BASE_URL
  database:
    client: pg
    connection: $PG_URL
    prefix: ${DB_PREFIX}$(basename "$app" | tr -dc 'a-z')_
EOF
  done
  wire policy "$NFS_APP"
  wire frontend-legacy "$LEGACY_APP"
}

install_nfs() { (cd "$NFS_APP" && yarn install); }
install_legacy() {
  # Seeded with the first app's resolutions: what both apps share is not
  # resolved twice; what only the legacy app needs is resolved now.
  cp "$NFS_APP/yarn.lock" "$LEGACY_APP/yarn.lock"
  (cd "$LEGACY_APP" && yarn install)
}
check_installed() {
  local app="$1"
  for name in plugin plugin-backend plugin-common; do
    # installed from the tarball (dist/), not from sources
    test -f "$app/node_modules/@release-readiness/$name/dist/index.d.ts"
    test ! -e "$app/node_modules/@release-readiness/$name/src"
  done
}

type_check() { (cd "$1" && check_installed "$1" && yarn tsc); }
build_frontend() { (cd "$1" && yarn workspace app build); }

start_backend() {
  local app="$1" log="$2"
  if curl -s -o /dev/null "$BASE_URL"; then
    echo "port $PORT is in use (INSTALL_TEST_PORT chooses another)"
    return 1
  fi
  (cd "$app/packages/backend" &&
    exec setsid yarn start --config ../../app-config.yaml \
      --config ../../app-config.install-test.yaml) >"$log" 2>&1 &
  backend_pid=$!
  echo "$backend_pid" >"$WORK/backend.pid"
  for _ in $(seq 1 180); do
    if curl -sf "$BASE_URL/api/release-readiness/health"; then
      echo && echo "backend answers after $((SECONDS - t_start))s"
      return 0
    fi
    if ! kill -0 "$backend_pid" 2>/dev/null; then
      echo "the backend stopped:" && tail -n 60 "$log"
      return 1
    fi
    sleep 1
  done
  echo "the backend did not answer within 180 s:" && tail -n 60 "$log"
  return 1
}

check_api() {
  local status token templates
  # Refused without a token, answered with the guest's.
  status="$(curl -s -o /dev/null -w '%{http_code}' "$BASE_URL/api/release-readiness/templates")"
  echo "templates without a token: $status"
  [ "$status" = 401 ]
  token="$(curl -sf -H 'X-Requested-With: XMLHttpRequest' \
    "$BASE_URL/api/auth/guest/refresh" |
    node -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>console.log(JSON.parse(s).backstageIdentity.token))')"
  templates="$(curl -sf -H "Authorization: Bearer $token" "$BASE_URL/api/release-readiness/templates")"
  echo "templates: $(echo "$templates" | head -c 300)..."
  echo "$templates" | grep -q '"name": *"component-gate"'
  # The browser check needs the template's example entity in the catalog.
  for _ in $(seq 1 120); do
    if curl -sf -o /dev/null -H "Authorization: Bearer $token" \
      "$BASE_URL/api/catalog/entities/by-name/component/default/example-website"; then
      echo "the catalog has component:default/example-website"
      return 0
    fi
    sleep 1
  done
  echo "the catalog has no component:default/example-website after 120 s"
  return 1
}

browser_check() {
  node "$REPO/scripts/install-test/browser-check.mjs" "$BASE_URL" "$LOGS/$1.png"
}

# One variant: type check, frontend build, backend, API, browser.
variant() {
  local app="$1" name="$2"
  step "$name: yarn tsc" type_check "$app"
  step "$name: frontend build" build_frontend "$app"
  t_start=$SECONDS
  step "$name: backend starts (log: $name-backend.log)" \
    start_backend "$app" "$LOGS/$name-backend.log"
  step "$name: health, templates, the example entity" check_api
  step "$name: Chromium shows the Readiness tab (screenshot $name.png)" \
    browser_check "$name"
  stop_backend
}

echo "install test: apps in $WORK, logs in ${LOGS#"$REPO"/}/"
step "wire.mjs wires by the READMEs and refuses READMEs that lack a step" \
  node --test scripts/install-test/wire.test.mjs
step "build and pack the five packages" build_and_pack
step "create the apps ($CREATE_APP) and wire them by the READMEs" create_apps
step "install the new-frontend-system app" install_nfs
step "install the legacy app" install_legacy
variant "$NFS_APP" new-frontend-discovery
step "new-frontend-explicit: App.tsx features, discovery off for the package" \
  wire frontend-explicit "$NFS_APP"
variant "$NFS_APP" new-frontend-explicit
variant "$LEGACY_APP" legacy
printf '\ninstall test passed in %ss\n' "$((SECONDS - started))"
