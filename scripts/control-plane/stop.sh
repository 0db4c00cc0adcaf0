#!/usr/bin/env bash
# Stops a control plane started by start.sh: signals each recorded process group, waits for it to
# go, then removes the state directory.
#
# Usage: scripts/control-plane/stop.sh [STATE_DIR]   (default: the plane start.sh started last)
# Exits non-zero if a process of that plane is still alive afterwards.
set -uo pipefail

CACHE_ROOT="${STEWARD_CP_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/steward/control-plane}"
STATE="${1:-$(readlink "$CACHE_ROOT/last-started" 2>/dev/null || true)}"
STATE="${STATE%/}"
log() { printf '[control-plane stop] %s\n' "$*" >&2; }

[[ -n "$STATE" && -f "$STATE/env" ]] || { log "no control plane state at '${STATE}'"; exit 0; }

# Reverse start order: the controller manager first, etcd last, so nothing logs a lost backend.
pids=()
for name in kube_controller_manager kube_apiserver etcd; do
  pid="$(sed -n "s/^${name}_PID=//p" "$STATE/env" | tail -n 1)"
  [[ -n "$pid" ]] && pids+=("$pid")
done

alive() { kill -0 -- "-$1" 2>/dev/null; } # any process left in group $1
for pid in "${pids[@]}"; do
  alive "$pid" || continue
  kill -TERM -- "-$pid" 2>/dev/null
  for _ in $(seq 1 50); do alive "$pid" || break; sleep 0.2; done
  if alive "$pid"; then log "process group $pid ignored SIGTERM; killing"; kill -KILL -- "-$pid" 2>/dev/null; sleep 0.2; fi
done

left=0
for pid in "${pids[@]}"; do alive "$pid" && { log "process group $pid still alive"; left=1; }; done
# Anything still running with a file of this state directory on its command line belongs to this
# plane (the trailing slash leaves out this script and its callers, which name the directory itself).
if pgrep -f -- "$STATE/" >/dev/null; then log "processes still use $STATE: $(pgrep -f -- "$STATE/" | tr '\n' ' ')"; left=1; fi

if [[ $left == 0 ]]; then
  rm -rf -- "$STATE"
  [[ "$(readlink "$CACHE_ROOT/last-started" 2>/dev/null)" == "$STATE" ]] && rm -f "$CACHE_ROOT/last-started"
  log "stopped; removed $STATE"
fi
exit $left
