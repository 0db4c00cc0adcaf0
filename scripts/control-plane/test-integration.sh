#!/usr/bin/env bash
# The integration leg: builds (or reuses) the real binaries, starts a control plane, runs the
# conformance suite and every *.integration.test.ts against it, and stops the plane whatever happens.
#
# Usage: scripts/control-plane/test-integration.sh [extra jest args for both runs]
# Both runs see KUBECONFIG, STEWARD_CONFORMANCE_KUBECONFIG and STEWARD_CONTROL_PLANE_KUBECONFIG set to the plane's admin kubeconfig.
# Jest's JSON results go to $STEWARD_CP_RESULTS_DIR (default: a temp dir) as conformance.json and
# integration.json; the last line is `integration: N passed, M failed` over both runs.
# Exits non-zero when either run fails or the plane cannot start.
set -uo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"
RESULTS="${STEWARD_CP_RESULTS_DIR:-$(mktemp -d /tmp/steward-cp-results.XXXXXX)}"
mkdir -p "$RESULTS"
log() { printf '[control-plane test] %s\n' "$*" >&2; }

"$HERE/build.sh" >/dev/null || { log "build failed"; echo "integration: 0 passed, 1 failed"; exit 1; }

STATE="$(mktemp -d /tmp/steward-cp.XXXXXX)"
cleanup() { "$HERE/stop.sh" "$STATE" || log "stop reported leftovers in $STATE"; }
trap cleanup EXIT
trap 'exit 130' INT TERM

KC="$("$HERE/start.sh" "$STATE" | tail -n 1)"
[[ -f "$KC" ]] || { log "control plane did not start"; echo "integration: 0 passed, 1 failed"; exit 1; }
export KUBECONFIG="$KC" STEWARD_CONFORMANCE_KUBECONFIG="$KC" STEWARD_CONTROL_PLANE_KUBECONFIG="$KC"

cd "$ROOT"
status=0
log "conformance suite against the real kube-apiserver"
node scripts/jest.mjs packages/apiserver/conformance --json --outputFile="$RESULTS/conformance.json" "$@" || status=1
log "*.integration.test.ts"
node scripts/jest.mjs --integration --json --outputFile="$RESULTS/integration.json" "$@" || status=1

log "results in $RESULTS"
node -e '
  const fs = require("fs");
  let passed = 0, failed = 0;
  for (const f of process.argv.slice(1)) {
    let r;
    try { r = JSON.parse(fs.readFileSync(f, "utf8")); } catch { failed++; console.error(`no results in ${f}`); continue; }
    passed += r.numPassedTests; failed += r.numFailedTests + (r.numRuntimeErrorTestSuites || 0);
  }
  console.log(`integration: ${passed} passed, ${failed} failed`);
' "$RESULTS/conformance.json" "$RESULTS/integration.json"
exit $status
