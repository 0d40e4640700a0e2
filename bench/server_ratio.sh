#!/usr/bin/env bash
# server_ratio.sh: replyd's throughput as a fraction of its transport's
# ceiling (bench/ceiling_server.cc), measured side by side, and replyd's p99
# at half its own peak (docs/benchmarks.md, "Server").
#
#   bench/server_ratio.sh [BUILD_DIR] [ROUNDS] [SECONDS]
#   REPLYD=/tmp/old/replyd bench/server_ratio.sh   # another replyd binary
#
# Starts replyd and ceiling_server (2 I/O threads each), then runs
# bench/loadgen closed loop (100 connections, 1 request in flight each)
# against them alternately, ROUNDS times each (default 5, SECONDS each,
# default 8): on a shared 2-core machine the load of other jobs drifts, and
# alternating puts both servers under the same drift. The order within a
# round alternates too (C R, R C, ...). Then replyd open loop at half its
# median closed-loop rate, three times, each followed by the ceiling at the
# same rate (the tail without replyd's work). Prints one line per run, the
# medians, the ratio of the medians, and the load average before and after.
# The servers run one at a time under load (the idle one only holds its
# connections' keep-alive pings).
#
# FLOOR=1 adds a third server to each round: ceiling_server --engine-packs,
# the transport plus Engine::Suggest and nothing else. Its ratio to the
# ceiling is the most any server that runs the engine as it is can reach.
set -euo pipefail

BUILD="$(cd "${1:-build}" && pwd)"
ROUNDS="${2:-5}"
SECONDS_PER_RUN="${3:-8}"
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
REPLYD_PORT="${REPLYD_PORT:-18180}"
CEILING_PORT="${CEILING_PORT:-18181}"
FLOOR_PORT="${FLOOR_PORT:-18182}"
FLOOR="${FLOOR:-0}"
CONNECTIONS=100

REPLYD="$(realpath "${REPLYD:-$BUILD/server/replyd}")"
# The bench tools are not in the default build.
cmake --build "$BUILD" --target ceiling_server loadgen >/dev/null
for bin in "$REPLYD" "$BUILD/bench/ceiling_server" "$BUILD/bench/loadgen"; do
  [ -x "$bin" ] || { echo "server_ratio: $bin not built" >&2; exit 1; }
done

DB="$(mktemp -d)/bench.db"
PIDS=()
cleanup() {
  for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
  rm -rf "$(dirname "$DB")"
}
trap cleanup EXIT

(cd "$ROOT" && exec "$REPLYD" --listen "127.0.0.1:$REPLYD_PORT" \
  --db "$DB" --rate-limit 1000000 --rate-burst 1000000 --no-watch-packs \
  --threads 2 --log-level warn 2>/dev/null) &
REPLYD_PID=$!
PIDS+=("$REPLYD_PID")
"$BUILD/bench/ceiling_server" --port "$CEILING_PORT" --threads 2 2>/dev/null &
CEILING_PID=$!
PIDS+=("$CEILING_PID")
if [ "$FLOOR" = 1 ]; then
  "$BUILD/bench/ceiling_server" --port "$FLOOR_PORT" --threads 2 \
    --engine-packs "$ROOT" 2>/dev/null &
  FLOOR_PID=$!
  PIDS+=("$FLOOR_PID")
fi

wait_port() {
  for _ in $(seq 300); do
    (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null && return 0
    sleep 0.1
  done
  echo "server_ratio: nothing listens on port $1" >&2
  exit 1
}
wait_port "$REPLYD_PORT"
wait_port "$CEILING_PORT"
if [ "$FLOOR" = 1 ]; then wait_port "$FLOOR_PORT"; fi

field() { sed -n "s/.*\"$1\":\([-0-9.e+]*\).*/\1/p"; }

# run NAME PORT PID [loadgen options...]: one loadgen run, one summary line.
run() {
  local name="$1" port="$2" pid="$3"
  shift 3
  local out
  out="$("$BUILD/bench/loadgen" --port "$port" --server-pid "$pid" \
    --connections "$CONNECTIONS" "$@" 2>/dev/null)"
  local rps p50 p99 errors
  rps="$(field requests_per_s <<<"$out")"
  p50="$(field p50_us <<<"$out")"
  p99="$(field p99_us <<<"$out")"
  errors="$(field errors <<<"$out")"
  printf '%-8s %10.0f req/s  p50 %6.2f ms  p99 %6.2f ms  errors %s\n' \
    "$name" "$rps" "$(awk "BEGIN{print $p50/1000}")" \
    "$(awk "BEGIN{print $p99/1000}")" "$errors" >&2
  echo "$rps $p99"
}

median() { sort -g | awk '{a[NR]=$1} END{print (NR%2) ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2}'; }

echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg)" >&2
CLOSED=(--pipeline 1 --duration "$SECONDS_PER_RUN" --warmup 2)
# Not counted: replyd's first seconds fill its suggestion registry (100,000
# entries: the heap grows, pages fault in), which no later run pays.
run warmup "$REPLYD_PORT" "$REPLYD_PID" --pipeline 1 --duration 5 --warmup 0 >/dev/null
run warmup "$CEILING_PORT" "$CEILING_PID" --pipeline 1 --duration 2 --warmup 0 >/dev/null
if [ "$FLOOR" = 1 ]; then
  run warmup "$FLOOR_PORT" "$FLOOR_PID" --pipeline 1 --duration 2 --warmup 0 >/dev/null
fi
C_RPS=() C_P99=() R_RPS=() R_P99=() RATIOS=() F_RPS=() F_RATIOS=()
for round in $(seq "$ROUNDS"); do
  if ((round % 2)); then order="C R"; else order="R C"; fi
  if [ "$FLOOR" = 1 ]; then order="${order/ / F }"; fi
  for who in $order; do
    if [ "$who" = F ]; then
      read -r rps p99 < <(run floor "$FLOOR_PORT" "$FLOOR_PID" "${CLOSED[@]}")
      F_RPS+=("$rps")
    elif [ "$who" = C ]; then
      read -r rps p99 < <(run ceiling "$CEILING_PORT" "$CEILING_PID" "${CLOSED[@]}")
      C_RPS+=("$rps") C_P99+=("$p99")
    else
      read -r rps p99 < <(run replyd "$REPLYD_PORT" "$REPLYD_PID" "${CLOSED[@]}")
      R_RPS+=("$rps") R_P99+=("$p99")
    fi
  done
  RATIOS+=("$(awk "BEGIN{print ${R_RPS[-1]}/${C_RPS[-1]}}")")
  if [ "$FLOOR" = 1 ]; then
    F_RATIOS+=("$(awk "BEGIN{print ${F_RPS[-1]}/${C_RPS[-1]}}")")
  fi
done
echo "load average after closed loop: $(cut -d' ' -f1-3 /proc/loadavg)" >&2

c_rps="$(printf '%s\n' "${C_RPS[@]}" | median)"
r_rps="$(printf '%s\n' "${R_RPS[@]}" | median)"
c_p99="$(printf '%s\n' "${C_P99[@]}" | median)"
r_p99="$(printf '%s\n' "${R_P99[@]}" | median)"
ratio_of_medians="$(awk "BEGIN{printf \"%.2f\", $r_rps/$c_rps}")"
ratios="$(printf '%s\n' "${RATIOS[@]}" | sort -g | awk '{printf "%s%.2f", (NR>1?" ":""), $1}')"

half="$(awk "BEGIN{printf \"%d\", $r_rps/2}")"
# The ceiling at the same rate, alternating with replyd: the tail that the
# transport, loadgen's open loop and the machine give without replyd's work.
# A replyd p99 near the ceiling's is the machine's, not replyd's.
H_P99=() HC_P99=()
for _ in 1 2 3; do
  read -r rps p99 < <(run "replyd@${half}/s" "$REPLYD_PORT" "$REPLYD_PID" \
    --rate "$half" --duration "$SECONDS_PER_RUN" --warmup 1)
  H_P99+=("$p99")
  read -r rps p99 < <(run "ceil@${half}/s" "$CEILING_PORT" "$CEILING_PID" \
    --rate "$half" --duration "$SECONDS_PER_RUN" --warmup 1)
  HC_P99+=("$p99")
done
h_p99="$(printf '%s\n' "${H_P99[@]}" | median)"
hc_p99="$(printf '%s\n' "${HC_P99[@]}" | median)"
echo "load average after open loop: $(cut -d' ' -f1-3 /proc/loadavg)" >&2

awk -v c="$c_rps" -v r="$r_rps" -v cp="$c_p99" -v rp="$r_p99" \
  -v ratio="$ratio_of_medians" -v ratios="$ratios" -v half="$half" \
  -v hp="$h_p99" -v hcp="$hc_p99" 'BEGIN{
  printf "ceiling  median %8.0f req/s  p99 %5.2f ms\n", c, cp/1000
  printf "replyd   median %8.0f req/s  p99 %5.2f ms\n", r, rp/1000
  printf "ratio    %s (per round: %s)\n", ratio, ratios
  printf "replyd open loop at %d req/s (half its peak): median p99 %.2f ms\n", half, hp/1000
  printf "ceiling open loop at the same rate:          median p99 %.2f ms\n", hcp/1000
}'
if [ "$FLOOR" = 1 ]; then
  f_rps="$(printf '%s\n' "${F_RPS[@]}" | median)"
  f_ratios="$(printf '%s\n' "${F_RATIOS[@]}" | sort -g | awk '{printf "%s%.2f", (NR>1?" ":""), $1}')"
  awk -v f="$f_rps" -v c="$c_rps" -v ratios="$f_ratios" 'BEGIN{
    printf "floor    median %8.0f req/s  (transport + Engine::Suggest only)\n", f
    printf "floor/ceiling %.2f (per round: %s)\n", f/c, ratios
  }'
fi
