#!/usr/bin/env bash
# The integration leg: builds (or reuses) the real binaries, starts a control plane, runs the
# conformance suite and every *.integration.test.ts against it, and stops the plane whatever happens.
#
# Usage: scripts/control-plane/test-integration.sh [extra jest args for both runs, e.g. --json ...]
# Both runs see KUBECONFIG and STEWARD_CONFORMANCE_KUBECONFIG set to the plane's admin kubeconfig.
# Exits non-zero when either run fails or the plane cannot start.
set -uo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"
log() { printf '[control-plane test] %s\n' "$*" >&2; }

"$HERE/build.sh" >/dev/null || { log "build failed"; exit 1; }

STATE="$(mktemp -d /tmp/steward-cp.XXXXXX)"
cleanup() { "$HERE/stop.sh" "$STATE" || log "stop reported leftovers in $STATE"; }
trap cleanup EXIT
trap 'exit 130' INT TERM

KC="$("$HERE/start.sh" "$STATE" | tail -n 1)"
[[ -f "$KC" ]] || { log "control plane did not start"; exit 1; }
export KUBECONFIG="$KC" STEWARD_CONFORMANCE_KUBECONFIG="$KC"

cd "$ROOT"
status=0
log "conformance suite against the real kube-apiserver"
node scripts/jest.mjs packages/apiserver/conformance "$@" || status=1
log "*.integration.test.ts"
node scripts/jest.mjs --integration "$@" || status=1
exit $status
