#!/usr/bin/env bash
# Makes sure what the tests need outside node_modules is there: PostgreSQL on
# 127.0.0.1:5432 (database tests run on SQLite and PostgreSQL) and Debian's
# Chromium for the browser tests (Playwright cannot download browsers here).
set -euo pipefail

pg_host=127.0.0.1
pg_port=5432
pg_up() { (exec 3<>"/dev/tcp/$pg_host/$pg_port") 2>/dev/null; }

if ! pg_up; then
  if command -v pg_ctlcluster >/dev/null 2>&1 && [ -d /etc/postgresql ]; then
    echo "ensure-test-services: starting PostgreSQL" >&2
    pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql | head -n 1)" main start || true
    for _ in $(seq 1 30); do pg_up && break; sleep 1; done
  fi
fi
if ! pg_up; then
  echo "ensure-test-services: PostgreSQL is not reachable on $pg_host:$pg_port." >&2
  echo "  Start it, or point BACKSTAGE_TEST_DATABASE_POSTGRES15_CONNECTION_STRING at one." >&2
  exit 1
fi

chromium="${PLAYWRIGHT_CHROMIUM_PATH:-/usr/bin/chromium}"
if [ ! -x "$chromium" ]; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "ensure-test-services: installing Debian's chromium" >&2
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
  else
    echo "ensure-test-services: no Chromium at $chromium." >&2
    echo "  Install it (sudo apt-get install chromium) or set PLAYWRIGHT_CHROMIUM_PATH." >&2
    exit 1
  fi
fi
