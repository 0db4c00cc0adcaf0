#!/usr/bin/env bash
# The Node 24 CI leg: runs @steward/core's client and informer tests (against the embedded API server)
# on a Node 24 runtime with @kubernetes/client-node 2.x resolved in place of the workspace's 1.4, and
# writes Jest's JSON results to $1. Start here; jest.config.js beside it maps client-node, and
# runtime.check.ts proves the versions. Both come from the npm registry into
# ~/.cache/steward/node24 (the `node` package fetches its platform's binary package at install time)
# and are re-used while present. No registry → one SKIPPED line, zero results, exit 0.
set -uo pipefail
out=${1:?usage: run.sh RESULTS_JSON}
root=$(cd "$(dirname "$0")/../.." && pwd)
cache="${XDG_CACHE_HOME:-$HOME/.cache}/steward/node24"
node24="$cache/node_modules/node/bin/node"
client_node2="$cache/node_modules/@kubernetes/client-node"

major_of() { "$1" -p "$2.split('.')[0]" 2>/dev/null; }
ready() {
  [ -x "$node24" ] && [ "$(major_of "$node24" process.versions.node)" = 24 ] &&
    [ "$(major_of node "require('$client_node2/package.json').version")" = 2 ]
}
skip() {
  echo "ci-node24: SKIPPED: $1"
  printf '{"numPassedTests":0,"numFailedTests":0,"numFailedTestSuites":0,"numRuntimeErrorTestSuites":0,"skipped":%s}\n' \
    "$(node -p 'JSON.stringify(process.argv[1])' "$1")" >"$out"
  exit 0
}

if ! ready; then
  t0=$(date +%s)
  mkdir -p "$cache"
  # A fresh folder each time, so a half-finished earlier install cannot be mistaken for a good one.
  rm -rf "$cache/node_modules" "$cache/package.json" "$cache/package-lock.json"
  # Few, short retries: offline, npm's defaults wait over two minutes before giving up.
  if ! npm install --prefix "$cache" --no-audit --no-fund --no-update-notifier --fetch-retries=1 \
    --fetch-retry-mintimeout=2000 --fetch-retry-maxtimeout=5000 \
    'node@24' '@kubernetes/client-node@2' >"$cache/install.log" 2>&1; then
    grep -m 3 '^npm error' "$cache/install.log" | sed 's/^/ci-node24:   /'
    skip "could not install node@24 and @kubernetes/client-node@2 from the npm registry (offline?); log in $cache/install.log"
  fi
  ready || skip "node@24 installed but $node24 does not run as Node 24 (did npm skip its install script?); log in $cache/install.log"
  echo "ci-node24: cached Node $("$node24" --version) and client-node 2.x in $cache ($(($(date +%s) - t0)) s)"
fi
echo "ci-node24: node $("$node24" --version), @kubernetes/client-node $(node -p "require('$client_node2/package.json').version")"

cd "$root" || exit 1
# scripts/jest.mjs runs Jest on the Node that runs it (process.execPath), with the ESM flags.
STEWARD_CLIENT_NODE2="$client_node2" "$node24" scripts/jest.mjs --config scripts/ci-node24/jest.config.js \
  --json --outputFile="$out"
