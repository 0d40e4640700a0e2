#!/usr/bin/env bash
# server_cost.sh: replyd's user-space instructions per request, counted by
# callgrind, and where they go. Unlike requests/s this does not move with the
# machine's other load, so it is the measure to optimise on
# (docs/benchmarks.md, "Server").
#
#   bench/server_cost.sh [BUILD_DIR] [SECONDS]
#   REPLYD=/tmp/old/replyd bench/server_cost.sh   # another replyd binary
#   KEEP=/tmp/cg.out bench/server_cost.sh         # keep callgrind's output
#                                                 # (callgrind_annotate)
#
# Starts replyd (2 I/O threads) under valgrind --tool=callgrind with counting
# off, warms it up with bench/loadgen (10 connections, 1 request in flight
# each) for 3 s, counts while loadgen runs SECONDS more (default 10), and
# prints the instructions per request answered, in total and for the main
# stages. The kernel is not counted (it is the same for replyd and for
# bench/ceiling_server: one read and one write per request). Needs valgrind.
set -euo pipefail

BUILD="$(cd "${1:-build}" && pwd)"
SECONDS_COUNTED="${2:-10}"
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
PORT="${PORT:-18190}"
REPLYD="$(realpath "${REPLYD:-$BUILD/server/replyd}")"
# The bench tools are not in the default build.
cmake --build "$BUILD" --target loadgen >/dev/null
for bin in "$REPLYD" "$BUILD/bench/loadgen"; do
  [ -x "$bin" ] || { echo "server_cost: $bin not built" >&2; exit 1; }
done
command -v callgrind_control >/dev/null ||
  { echo "server_cost: needs valgrind (apt-get install valgrind)" >&2; exit 1; }

WORK="$(mktemp -d)"
PID=""
cleanup() {
  [ -n "$PID" ] && kill "$PID" 2>/dev/null && wait "$PID" 2>/dev/null
  if [ -n "${KEEP:-}" ] && [ -f "$WORK/callgrind.out" ]; then
    cp "$WORK/callgrind.out" "$KEEP"
  fi
  rm -rf "$WORK"
}
trap cleanup EXIT

(cd "$ROOT" && exec valgrind --tool=callgrind --instr-atstart=no \
  --callgrind-out-file="$WORK/callgrind.out" "$REPLYD" \
  --listen "127.0.0.1:$PORT" --db "$WORK/bench.db" --rate-limit 1000000 \
  --rate-burst 1000000 --no-watch-packs --threads 2 --log-level warn \
  2>"$WORK/valgrind.log") &
PID=$!
for _ in $(seq 600); do
  (exec 3<>"/dev/tcp/127.0.0.1/$PORT") 2>/dev/null && break
  sleep 0.1
done

loadgen() {
  "$BUILD/bench/loadgen" --port "$PORT" --connections 10 --pipeline 1 \
    --warmup 0 --duration "$1" 2>/dev/null
}
loadgen 3 >/dev/null
callgrind_control -i on "$PID" >/dev/null 2>&1
requests="$(loadgen "$SECONDS_COUNTED" | sed -n 's/.*"requests":\([0-9]*\).*/\1/p')"
callgrind_control -i off "$PID" >/dev/null 2>&1
kill "$PID"
wait "$PID" 2>/dev/null || true
PID=""

callgrind_annotate --inclusive=yes "$WORK/callgrind.out" 2>/dev/null |
  awk -v n="$requests" '
  function report(label, pattern) {
    for (i = 1; i <= count; ++i) {
      if (index(name[i], pattern)) {
        printf "%-44s %8d\n", label, ir[i] / n
        return
      }
    }
  }
  /PROGRAM TOTALS/ { gsub(",", "", $1); total = $1 }
  /^ *[0-9,]+ \(/ {
    v = $1; gsub(",", "", v); ++count; ir[count] = v; name[count] = $0
  }
  END {
    printf "requests counted: %d\n", n
    printf "%-44s %8d\n", "replyd, user space, all threads", total / n
    report("  handling a frame (HandleFrame)", "WebsocketSession::HandleFrame()")
    report("    decoding it (DecodeFrame)", "reply::server::DecodeFrame(")
    report("    the engine (Engine::Suggest)", "reply::Engine::Suggest(")
    report("    writing the answer (EncodeSuggestions)", "reply::server::EncodeSuggestions")
    report("    remembering suggestions (Remember)", "SuggestionRegistry::Remember(")
    report("  malloc", "malloc.c:malloc ")
    report("  free", "malloc.c:free ")
  }'
