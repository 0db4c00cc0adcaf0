#!/usr/bin/env bash
# Starts a real control plane (etcd, kube-apiserver with RBAC, kube-controller-manager) on loopback,
# each in its own process group, and writes an admin kubeconfig; start with main() at the bottom.
#
# Usage: scripts/control-plane/start.sh [STATE_DIR]
#   STATE_DIR defaults to a new /tmp/steward-cp.XXXXXX. It receives certificates, data, logs, the
#   kubeconfig (STATE_DIR/admin.kubeconfig) and STATE_DIR/env (KUBECONFIG=, STEWARD_CP_DIR=, pids).
#   The last line printed is the kubeconfig path. Stop with scripts/control-plane/stop.sh STATE_DIR
#   (without an argument stop.sh takes the plane this script started last).
# Env: STEWARD_CP_READY_TIMEOUT (seconds, default 120) for each wait.
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
CACHE_ROOT="${STEWARD_CP_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/steward/control-plane}"
SERVICE_CIDR="10.0.0.0/24"
SERVICE_IP="10.0.0.1" # first address of SERVICE_CIDR, the `kubernetes` Service
TIMEOUT="${STEWARD_CP_READY_TIMEOUT:-120}"

log() { printf '[control-plane start] %s\n' "$*" >&2; }

# A port the kernel just handed out and released; a race is possible but unlikely on loopback.
free_port() {
  node -e 'const s=require("net").createServer().listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})'
}

# --- Certificates (openssl): one CA signs serving and client certificates ------------------------
gen_certs() {
  local pki="$1"
  mkdir -p "$pki"
  (
    cd "$pki"
    local ec=(-newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes)
    make_ca() { # make_ca NAME CN
      openssl req -x509 "${ec[@]}" -keyout "$1.key" -out "$1.crt" -days 30 -subj "/CN=$2" \
        -addext "basicConstraints=critical,CA:TRUE" -addext "keyUsage=critical,keyCertSign,cRLSign,digitalSignature" 2>/dev/null
    }
    make_ca ca steward-control-plane-ca
    # The aggregation layer's front proxy has its own CA, as in kubeadm clusters.
    make_ca front-proxy-ca steward-front-proxy-ca
    # sign NAME SUBJECT EXTENSIONS...: key + CSR + certificate signed by $CA (default: ca).
    sign() {
      local name="$1" subj="$2" ca="${CA:-ca}"; shift 2
      local ext="$name.ext"
      printf '%s\n' "basicConstraints=critical,CA:FALSE" "keyUsage=critical,digitalSignature,keyEncipherment" "$@" >"$ext"
      openssl req -new "${ec[@]}" -keyout "$name.key" -out "$name.csr" -subj "$subj" 2>/dev/null
      openssl x509 -req -in "$name.csr" -CA "$ca.crt" -CAkey "$ca.key" -CAcreateserial -days 30 \
        -extfile "$ext" -out "$name.crt" 2>/dev/null
      rm -f "$name.csr" "$ext"
    }
    sign apiserver "/CN=kube-apiserver" "extendedKeyUsage=serverAuth" \
      "subjectAltName=IP:127.0.0.1,IP:$SERVICE_IP,DNS:localhost,DNS:kubernetes,DNS:kubernetes.default,DNS:kubernetes.default.svc,DNS:kubernetes.default.svc.cluster.local"
    sign controller-manager-serving "/CN=kube-controller-manager" "extendedKeyUsage=serverAuth" \
      "subjectAltName=IP:127.0.0.1,DNS:localhost"
    sign admin "/O=system:masters/CN=steward-admin" "extendedKeyUsage=clientAuth"
    # The controller manager authenticates as itself; RBAC's bootstrap roles cover it, and each
    # controller gets its own service account (--use-service-account-credentials), as in kubeadm.
    sign controller-manager "/CN=system:kube-controller-manager" "extendedKeyUsage=clientAuth"
    CA=front-proxy-ca sign front-proxy-client "/CN=front-proxy-client" "extendedKeyUsage=clientAuth"
    # Service-account token signing key pair (RSA, accepted by every token verifier).
    openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out sa.key 2>/dev/null
    openssl pkey -in sa.key -pubout -out sa.pub 2>/dev/null
    chmod 600 ./*.key
  )
}

write_kubeconfig() { # write_kubeconfig FILE SERVER PKI CERT_NAME USER
  local file="$1" server="$2" pki="$3" cert="$4" user="$5"
  cat >"$file" <<KC
apiVersion: v1
kind: Config
clusters:
- name: steward
  cluster:
    server: $server
    certificate-authority-data: $(base64 -w0 <"$pki/ca.crt")
users:
- name: $user
  user:
    client-certificate-data: $(base64 -w0 <"$pki/$cert.crt")
    client-key-data: $(base64 -w0 <"$pki/$cert.key")
contexts:
- name: steward
  context:
    cluster: steward
    user: $user
current-context: steward
KC
  chmod 600 "$file"
}

# launch NAME CMD...: runs CMD as the leader of its own session and process group (so stop.sh can
# signal the whole group), logs to STATE/NAME.log, records NAME_PID in STATE/env.
launch() {
  local name="$1"; shift
  setsid "$@" >"$STATE/$name.log" 2>&1 </dev/null &
  local pid=$!
  echo "${name//-/_}_PID=$pid" >>"$STATE/env"
  log "$name started (pid $pid, log $STATE/$name.log)"
  eval "${name//-/_}_PID=$pid"
}

fail() {
  log "$*"
  for f in "$STATE"/*.log; do [[ -f "$f" ]] && { log "--- last lines of $f"; tail -n 20 "$f" >&2; }; done
  "$HERE/stop.sh" "$STATE" >&2 || true
  exit 1
}

# wait_for NAME PID CMD...: polls CMD until it succeeds; fails if the process exits or time runs out.
wait_for() {
  local name="$1" pid="$2"; shift 2
  local deadline=$((SECONDS + TIMEOUT))
  until "$@" >/dev/null 2>&1; do
    kill -0 "$pid" 2>/dev/null || fail "$name exited during startup"
    ((SECONDS < deadline)) || fail "$name not ready after ${TIMEOUT}s"
    sleep 0.5
  done
  log "$name ready after $((SECONDS - T0))s"
}

# Gives the fresh etcd some compacted history, as any cluster older than a few minutes has: without
# it every watch cache starts near revision 1, so a watch from resourceVersion=1 replays history
# instead of answering 410 Expired "too old resource version" as an aged cluster does.
age_etcd() {
  local url="$1" rev i
  for i in $(seq 1 20); do
    curl -sf -X POST "$url/v3/kv/put" -d '{"key":"L3N0ZXdhcmQvYWdl","value":"MA=="}' >/dev/null || fail "etcd put failed"
  done # key /steward/age, outside the apiserver's /registry prefix
  rev="$(curl -sf -X POST "$url/v3/kv/range" -d '{"key":"L3N0ZXdhcmQvYWdl"}' | sed -n 's/.*"revision":"\([0-9]*\)".*/\1/p')"
  [[ -n "$rev" ]] || fail "could not read the etcd revision"
  curl -sf -X POST "$url/v3/kv/compaction" -d "{\"revision\":\"$rev\",\"physical\":true}" >/dev/null || fail "etcd compaction failed"
  log "etcd aged to revision $rev (compacted)"
}

main() {
  T0=$SECONDS
  BIN="$("$HERE/build.sh" | tail -n 1)"
  STATE="${1:-$(mktemp -d /tmp/steward-cp.XXXXXX)}"
  mkdir -p "$STATE"
  STATE="$(cd "$STATE" && pwd)"
  : >"$STATE/env"
  echo "STEWARD_CP_DIR=$STATE" >>"$STATE/env"
  mkdir -p "$CACHE_ROOT" && ln -sfn "$STATE" "$CACHE_ROOT/last-started"
  trap 'fail "interrupted"' INT TERM

  local pki="$STATE/pki"
  gen_certs "$pki"
  local etcd_port etcd_peer_port api_port kcm_port
  etcd_port=$(free_port); etcd_peer_port=$(free_port); api_port=$(free_port); kcm_port=$(free_port)
  local server="https://127.0.0.1:$api_port"
  write_kubeconfig "$STATE/admin.kubeconfig" "$server" "$pki" admin steward-admin
  write_kubeconfig "$STATE/controller-manager.kubeconfig" "$server" "$pki" controller-manager system:kube-controller-manager
  echo "KUBECONFIG=$STATE/admin.kubeconfig" >>"$STATE/env"
  echo "API_SERVER=$server" >>"$STATE/env"

  # etcd: loopback only, no fsync (test data is thrown away), data in STATE.
  launch etcd "$BIN/etcd" --name steward --data-dir "$STATE/etcd" \
    --listen-client-urls "http://127.0.0.1:$etcd_port" --advertise-client-urls "http://127.0.0.1:$etcd_port" \
    --listen-peer-urls "http://127.0.0.1:$etcd_peer_port" --initial-advertise-peer-urls "http://127.0.0.1:$etcd_peer_port" \
    --initial-cluster "steward=http://127.0.0.1:$etcd_peer_port" --unsafe-no-fsync --log-level warn
  wait_for etcd "$etcd_PID" curl -sf "http://127.0.0.1:$etcd_port/health"
  age_etcd "http://127.0.0.1:$etcd_port"

  # kube-apiserver: RBAC, loopback, its own serving certificate; no endpoint reconciler because a
  # loopback advertise address is not a valid Endpoints address.
  launch kube-apiserver "$BIN/kube-apiserver" \
    --etcd-servers "http://127.0.0.1:$etcd_port" \
    --bind-address 127.0.0.1 --advertise-address 127.0.0.1 --secure-port "$api_port" \
    --endpoint-reconciler-type none \
    --cert-dir "$STATE/apiserver-certs" \
    --tls-cert-file "$pki/apiserver.crt" --tls-private-key-file "$pki/apiserver.key" \
    --client-ca-file "$pki/ca.crt" \
    --authorization-mode Node,RBAC \
    --service-account-issuer https://kubernetes.default.svc.cluster.local \
    --service-account-key-file "$pki/sa.pub" --service-account-signing-key-file "$pki/sa.key" \
    --service-cluster-ip-range "$SERVICE_CIDR" \
    --requestheader-client-ca-file "$pki/front-proxy-ca.crt" --requestheader-allowed-names front-proxy-client \
    --requestheader-username-headers X-Remote-User --requestheader-group-headers X-Remote-Group \
    --requestheader-extra-headers-prefix X-Remote-Extra- \
    --proxy-client-cert-file "$pki/front-proxy-client.crt" --proxy-client-key-file "$pki/front-proxy-client.key" \
    --allow-privileged=true
  wait_for kube-apiserver "$kube_apiserver_PID" \
    curl -sf --cacert "$pki/ca.crt" --cert "$pki/admin.crt" --key "$pki/admin.key" "$server/readyz"

  launch kube-controller-manager "$BIN/kube-controller-manager" \
    --kubeconfig "$STATE/controller-manager.kubeconfig" \
    --authentication-kubeconfig "$STATE/controller-manager.kubeconfig" \
    --authorization-kubeconfig "$STATE/controller-manager.kubeconfig" \
    --bind-address 127.0.0.1 --secure-port "$kcm_port" \
    --tls-cert-file "$pki/controller-manager-serving.crt" --tls-private-key-file "$pki/controller-manager-serving.key" \
    --controllers '*' --leader-elect=false --use-service-account-credentials=true \
    --service-account-private-key-file "$pki/sa.key" --root-ca-file "$pki/ca.crt" \
    --cluster-signing-cert-file "$pki/ca.crt" --cluster-signing-key-file "$pki/ca.key" \
    --service-cluster-ip-range "$SERVICE_CIDR"
  wait_for kube-controller-manager "$kube_controller_manager_PID" \
    curl -skf "https://127.0.0.1:$kcm_port/healthz"

  log "control plane up in $((SECONDS - T0))s; stop with: $HERE/stop.sh $STATE"
  echo "$STATE/admin.kubeconfig"
}

main "$@"
