#!/usr/bin/env bash
# Builds real etcd, kube-apiserver and kube-controller-manager binaries from pinned Go modules into a
# cache outside the repository; start with the version pins just below, then main() at the bottom.
#
# Usage: scripts/control-plane/build.sh [--force]   (prints the bin directory on the last line)
# Env:   STEWARD_CP_CACHE overrides the cache root; STEWARD_CP_JOBS sets go build -p (default 1).
set -euo pipefail
# The machines install Go in /usr/local/go; a CI shell may not have it on PATH.
command -v go >/dev/null || export PATH="/usr/local/go/bin:$PATH"

# --- Version pins (the only place versions are named) -----------------------------------------
K8S_VERSION="v1.37.2"      # k8s.io/kubernetes; kube-apiserver and kube-controller-manager
STAGING_VERSION="v0.37.2"  # every k8s.io/<staging> module the kubernetes module requires as v0.0.0
# etcd: the server module at the version k8s.io/kubernetes itself pins in its go.mod (v3.7.0 for
# v1.37.2), so the shared gRPC/etcd client graph is the one Kubernetes is tested with.
ETCD_VERSION=""            # empty = take it from the kubernetes go.mod; or set e.g. v3.7.3
# -----------------------------------------------------------------------------------------------

CACHE_ROOT="${STEWARD_CP_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/steward/control-plane}"
CACHE="$CACHE_ROOT/$K8S_VERSION"
SRC="$CACHE/src"
BIN="$CACHE/bin"
JOBS="${STEWARD_CP_JOBS:-1}"
FORCE=0
[[ "${1:-}" == "--force" ]] && FORCE=1

log() { printf '[control-plane build] %s\n' "$*" >&2; }

print_versions() {
  log "etcd:                    $("$BIN/etcd" --version 2>&1 | head -1)"
  log "kube-apiserver:          $("$BIN/kube-apiserver" --version 2>&1 | head -1)"
  log "kube-controller-manager: $("$BIN/kube-controller-manager" --version 2>&1 | head -1)"
}

have_binaries() {
  [[ -x "$BIN/etcd" && -x "$BIN/kube-apiserver" && -x "$BIN/kube-controller-manager" ]]
}

# Writes go.mod: require kubernetes + etcd server, and one replace per staging module, the list read
# from the kubernetes module's own go.mod (its `k8s.io/x v0.0.0` requirements) instead of typed here.
write_go_mod() {
  local k8s_mod staging etcd_version
  k8s_mod="$(go mod download -json "k8s.io/kubernetes@$K8S_VERSION" | sed -n 's/^[[:space:]]*"GoMod": "\(.*\)",$/\1/p')"
  [[ -f "$k8s_mod" ]] || { log "could not download k8s.io/kubernetes@$K8S_VERSION"; exit 1; }
  staging="$(awk '$1 ~ /^k8s\.io\// && $2 == "v0.0.0" { print $1 }' "$k8s_mod" | sort -u)"
  etcd_version="${ETCD_VERSION:-$(awk '$1 == "go.etcd.io/etcd/server/v3" { print $2; exit }' "$k8s_mod")}"
  [[ -n "$etcd_version" ]] || { log "no etcd server version in the kubernetes go.mod; set ETCD_VERSION"; exit 1; }
  log "k8s.io/kubernetes $K8S_VERSION, $(wc -l <<<"$staging") staging modules at $STAGING_VERSION, etcd $etcd_version"
  {
    echo "module steward.local/control-plane"
    echo
    echo "go 1.26.0"
    echo
    echo "require ("
    echo "	k8s.io/kubernetes $K8S_VERSION"
    echo "	go.etcd.io/etcd/server/v3 $etcd_version"
    echo ")"
    echo
    echo "replace ("
    while read -r m; do echo "	$m => $m $STAGING_VERSION"; done <<<"$staging"
    echo ")"
  } >"$SRC/go.mod"
}

# Our own three small mains: each hands its arguments to the upstream command constructor.
write_mains() {
  mkdir -p "$SRC/cmd/etcd" "$SRC/cmd/kube-apiserver" "$SRC/cmd/kube-controller-manager"
  cat >"$SRC/cmd/etcd/main.go" <<'GO'
// Command etcd runs the etcd server with etcd's own flag handling.
package main

import (
	"os"

	"go.etcd.io/etcd/server/v3/etcdmain"
)

func main() { etcdmain.Main(os.Args) }
GO
  cat >"$SRC/cmd/kube-apiserver/main.go" <<'GO'
// Command kube-apiserver runs the upstream kube-apiserver command.
package main

import (
	"os"
	_ "time/tzdata"

	"k8s.io/component-base/cli"
	_ "k8s.io/component-base/logs/json/register"
	_ "k8s.io/component-base/metrics/prometheus/clientgo"
	_ "k8s.io/component-base/metrics/prometheus/version"
	"k8s.io/kubernetes/cmd/kube-apiserver/app"
)

func main() { os.Exit(cli.Run(app.NewAPIServerCommand())) }
GO
  cat >"$SRC/cmd/kube-controller-manager/main.go" <<'GO'
// Command kube-controller-manager runs the upstream kube-controller-manager command.
package main

import (
	"os"
	_ "time/tzdata"

	"k8s.io/component-base/cli"
	_ "k8s.io/component-base/logs/json/register"
	_ "k8s.io/component-base/metrics/prometheus/clientgo"
	_ "k8s.io/component-base/metrics/prometheus/version"
	"k8s.io/kubernetes/cmd/kube-controller-manager/app"
)

func main() { os.Exit(cli.Run(app.NewControllerManagerCommand())) }
GO
}

# The version strings `--version` prints, set the way Kubernetes' own build does (hack/lib/version.sh).
ldflags() {
  local major minor
  major="${K8S_VERSION#v}"; major="${major%%.*}"
  minor="${K8S_VERSION#v*.}"; minor="${minor%%.*}"
  local out="-s -w"
  for pkg in k8s.io/client-go/pkg/version k8s.io/component-base/version; do
    out+=" -X $pkg.gitVersion=$K8S_VERSION -X $pkg.gitMajor=$major -X $pkg.gitMinor=$minor"
    out+=" -X $pkg.gitTreeState=clean -X $pkg.buildDate=$(date -u +%Y-%m-%dT%H:%M:%SZ)"
  done
  echo "$out"
}

main() {
  if [[ $FORCE == 0 ]] && have_binaries; then
    log "cached binaries in $BIN"
    print_versions
    echo "$BIN"
    return 0
  fi
  command -v go >/dev/null || { log "go is not installed"; exit 1; }
  mkdir -p "$SRC" "$BIN"
  # Two runners building at once would race on src/ and bin/: the second waits, then reuses.
  exec 9>"$CACHE/.build.lock"
  flock 9
  if [[ $FORCE == 0 ]] && have_binaries; then
    log "built meanwhile by another run: $BIN"
    print_versions
    echo "$BIN"
    return 0
  fi
  local start=$SECONDS
  # GOTOOLCHAIN=local: fail clearly rather than fetch another Go if a pin ever needs a newer one.
  export GOFLAGS="-mod=mod" GOWORK=off CGO_ENABLED=0 GOTOOLCHAIN="${GOTOOLCHAIN:-local}"
  # Two cores are shared with other work: one package at a time, and one compiler thread each.
  export GOMAXPROCS="${GOMAXPROCS:-1}"
  write_go_mod
  write_mains
  (cd "$SRC" && go mod tidy)
  log "modules resolved in $((SECONDS - start))s; compiling with -p $JOBS, GOMAXPROCS=$GOMAXPROCS"
  local built=$SECONDS
  # Into a staging directory first, so an interrupted build never leaves a set that looks complete.
  rm -rf "$BIN.partial" && mkdir -p "$BIN.partial"
  (cd "$SRC" && go build -p "$JOBS" -trimpath -ldflags "$(ldflags)" -o "$BIN.partial/" \
    ./cmd/etcd ./cmd/kube-apiserver ./cmd/kube-controller-manager)
  mv -f "$BIN.partial"/* "$BIN/" && rmdir "$BIN.partial"
  log "compiled in $((SECONDS - built))s; build total $((SECONDS - start))s"
  print_versions
  echo "$BIN"
}

main "$@"
