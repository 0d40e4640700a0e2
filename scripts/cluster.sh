#!/usr/bin/env bash
# A local cluster on this machine, from Debian's packages: PostgreSQL (in a
# temporary directory, as a non-root user: scripts/pg_local.sh), two replyd
# nodes sharing it and one suggestion key, and HAProxy in front (WebSocket
# included, /healthz checks). docs/deploy.md explains the parts.
#
#   scripts/cluster.sh                      # HAProxy on 127.0.0.1:8080
#   REPLY_CLUSTER_PORT=9000 scripts/cluster.sh --packs /srv/packs --tokens-file t
#
# Arguments go to both replyd (--packs defaults to the bundled packs). Runs
# until interrupted (Ctrl-C, SIGTERM), then stops what it started. When the
# cluster is up it prints the addresses and writes $DIR/cluster.env (shell
# variables: HAPROXY_PORT, HAPROXY_PID, NODE1_PORT, NODE1_PID, NODE2_PORT,
# NODE2_PID, DB_URL, DIR), which tests and benchmarks read.
#
# Environment: REPLY_CLUSTER_PORT (HAProxy's port, default 8080; 0: a free
# one), REPLY_CLUSTER_DIR (default: a new directory under /tmp, removed at
# the end), REPLYD (the binary; default $BUILD_DIR/server/replyd),
# BUILD_DIR (default build/), REPLY_RUN_NO_BUILD=1 (skip installing and
# building, as scripts/run.sh).
set -euo pipefail
if [ "${REPLY_RUN_NO_BUILD:-0}" = 1 ]; then
  REPLY_SETUP_DEFINE_ONLY=1
fi
source "$(dirname "${BASH_SOURCE[0]}")/setup.sh"
cd "$ROOT"

if ! command -v haproxy >/dev/null; then
  echo "cluster.sh: haproxy is not installed; run scripts/setup.sh (or apt-get install haproxy)" >&2
  exit 1
fi

REPLYD="${REPLYD:-$BUILD_DIR/server/replyd}"
own_dir=0
if [ -n "${REPLY_CLUSTER_DIR:-}" ]; then
  DIR="$REPLY_CLUSTER_DIR"
  mkdir -p "$DIR"
else
  DIR="$(mktemp -d /tmp/reply-cluster.XXXXXX)"
  own_dir=1
fi
chmod 755 "$DIR"  # PostgreSQL's user (nobody, as root) goes through it
mkdir -p "$DIR/pg"

pids=()
stop_all() {
  trap - EXIT INT TERM
  for pid in ${pids[@]+"${pids[@]}"}; do kill "$pid" 2>/dev/null || true; done
  for pid in ${pids[@]+"${pids[@]}"}; do wait "$pid" 2>/dev/null || true; done
  "$ROOT/scripts/pg_local.sh" stop "$DIR/pg" 2>/dev/null || true
  if [ "$own_dir" = 1 ]; then rm -rf "$DIR"; fi
}
trap stop_all EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# Whether something listens on 127.0.0.1:PORT.
port_taken() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

haproxy_port="${REPLY_CLUSTER_PORT:-8080}"
if [ "$haproxy_port" = 0 ]; then
  for _ in $(seq 50); do
    haproxy_port=$((20000 + RANDOM % 30000))
    port_taken "$haproxy_port" || break
  done
fi
if port_taken "$haproxy_port"; then
  echo "cluster.sh: port $haproxy_port is in use; pick another with REPLY_CLUSTER_PORT" >&2
  exit 1
fi

db_url="$("$ROOT/scripts/pg_local.sh" start "$DIR/pg")"

# The key every node signs and verifies suggestion ids with.
head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n' >"$DIR/suggestion.keys"
echo >>"$DIR/suggestion.keys"
chmod 600 "$DIR/suggestion.keys"

# Starts a node on a free port; sets node_port and node_pid.
start_node() {
  local name="$1"; shift
  "$REPLYD" --listen 127.0.0.1:0 --packs "$ROOT" \
    --web "$ROOT/web" --db "$db_url" \
    --suggestion-key-file "$DIR/suggestion.keys" "$@" \
    2>"$DIR/$name.log" &
  node_pid=$!
  pids+=("$node_pid")
  node_port=""
  for _ in $(seq 600); do
    node_port="$(sed -n 's/.*"event":"listening".*"port":\([0-9]*\).*/\1/p' "$DIR/$name.log" | head -n1)"
    [ -n "$node_port" ] && return 0
    kill -0 "$node_pid" 2>/dev/null || break
    sleep 0.1
  done
  echo "cluster.sh: $name did not start; its log ($DIR/$name.log):" >&2
  tail -5 "$DIR/$name.log" >&2
  exit 1
}

start_node node1 "$@"
node1_port="$node_port" node1_pid="$node_pid"
start_node node2 "$@"
node2_port="$node_port" node2_pid="$node_pid"

cat >"$DIR/haproxy.cfg" <<CFG
# docs/deploy.md explains each part.
global
  # Each connection takes two descriptors (client, node): 4000 fit the
  # usual limit of open files. docs/deploy.md says how to raise it.
  maxconn 4000

defaults
  mode http
  timeout connect 2s
  timeout client 60s
  timeout server 60s
  # A WebSocket, once upgraded, is a tunnel: idle up to this long.
  timeout tunnel 1h
  # A node that dies takes its connections along; new ones go elsewhere.
  option redispatch
  retries 2

frontend replyd
  bind 127.0.0.1:$haproxy_port
  default_backend nodes

backend nodes
  balance leastconn
  # replyd answers only known Host names: the check names localhost.
  option httpchk
  http-check send meth GET uri /healthz ver HTTP/1.1 hdr Host localhost
  http-check expect status 200
  default-server inter 1s fall 2 rise 2
  server node1 127.0.0.1:$node1_port check
  server node2 127.0.0.1:$node2_port check
CFG
haproxy -c -q -f "$DIR/haproxy.cfg"
haproxy -db -f "$DIR/haproxy.cfg" 2>"$DIR/haproxy.log" &
haproxy_pid=$!
pids+=("$haproxy_pid")
for _ in $(seq 100); do
  port_taken "$haproxy_port" && break
  kill -0 "$haproxy_pid" 2>/dev/null || break
  sleep 0.1
done
if ! port_taken "$haproxy_port"; then
  echo "cluster.sh: HAProxy did not start; its log ($DIR/haproxy.log):" >&2
  tail -5 "$DIR/haproxy.log" >&2
  exit 1
fi

# Written whole, then renamed: a reader polling for the file never sees it
# half written.
cat >"$DIR/cluster.env.tmp" <<ENV
HAPROXY_PORT=$haproxy_port
NODE1_PORT=$node1_port
NODE1_PID=$node1_pid
NODE2_PORT=$node2_port
NODE2_PID=$node2_pid
HAPROXY_PID=$haproxy_pid
DB_URL='$db_url'
DIR='$DIR'
ENV
mv "$DIR/cluster.env.tmp" "$DIR/cluster.env"
echo "cluster.sh: HAProxy on http://127.0.0.1:$haproxy_port/ in front of" \
  "node1 (127.0.0.1:$node1_port) and node2 (127.0.0.1:$node2_port);" \
  "feedback in $db_url; logs and cluster.env in $DIR. Ctrl-C stops it." >&2
wait "${pids[@]}"
