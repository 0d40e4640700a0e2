#!/usr/bin/env bash
# Fuzzes the engine and the server's frame decoding (docs/fuzzing.md):
# installs what is missing, builds the libFuzzer targets of fuzz/ with clang,
# ASan and UBSan into build-fuzz/, and runs each for SECONDS (default 60).
#
#   scripts/fuzz.sh [SECONDS] [TARGET...]     # default: every target
#   FUZZ_JOBS=2 scripts/fuzz.sh 600           # two targets at a time
#
# Exits non-zero if any target found a crash, a leak, a timeout, an
# out-of-memory or a sanitizer report; the input that caused it is kept in
# fuzz-artifacts/<target>/ and the target's log in build-fuzz/logs/.
# Inputs that reached new code accumulate in build-fuzz/corpus/<target>/
# (the checked-in seeds in fuzz/corpus/<target>/ are only read).
set -euo pipefail

BUDGET="${1:-60}"
shift || true
REPLY_SETUP_DEFINE_ONLY=1 source "$(dirname "${BASH_SOURCE[0]}")/setup.sh"
cd "$ROOT"

ALL_TARGETS=(normalize request order condition pack frame chains)
TARGETS=("$@")
((${#TARGETS[@]})) || TARGETS=("${ALL_TARGETS[@]}")
JOBS="${FUZZ_JOBS:-1}"
FUZZ_BUILD="$ROOT/build-fuzz"
ARTIFACTS="$ROOT/fuzz-artifacts"

# Per target: the longest input tried (bytes) and its dictionary. Messages
# are at most 8 KB and frames a few KB; a pack input holds several files.
declare -A MAX_LEN=([normalize]=4096 [request]=8192 [order]=8192
  [condition]=2048 [pack]=32768 [frame]=8192 [chains]=1024)
declare -A DICT=([request]=json.dict [order]=json.dict [frame]=json.dict
  [condition]=condition.dict [pack]=yaml.dict [chains]=chains.dict)

install_missing "${PACKAGES[@]}" "${FUZZ_PACKAGES[@]}"

echo "== building fuzz targets in $FUZZ_BUILD" >&2
launcher=()
command -v ccache >/dev/null && launcher=(-DCMAKE_CXX_COMPILER_LAUNCHER=ccache)
cmake -S "$ROOT" -B "$FUZZ_BUILD" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  -DREPLY_FUZZ=ON -DCMAKE_CXX_COMPILER=clang++ "${launcher[@]}" >/dev/null
cmake --build "$FUZZ_BUILD" -j "$(nproc)"

mkdir -p "$FUZZ_BUILD/logs"
# Leaks are reported (at exit and, for libFuzzer, per input); UBSan halts
# on its first report (the build also sets -fno-sanitize-recover).
export ASAN_OPTIONS="${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=0}"
export UBSAN_OPTIONS="${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}"

# Runs one target for BUDGET seconds; its status is libFuzzer's.
run_target() {
  local t="$1"
  local log="$FUZZ_BUILD/logs/$t.log"
  local dict=()
  [ -n "${DICT[$t]:-}" ] && dict=(-dict="$ROOT/fuzz/${DICT[$t]}")
  mkdir -p "$FUZZ_BUILD/corpus/$t" "$ARTIFACTS/$t"
  "$FUZZ_BUILD/fuzz/${t}_fuzzer" "$FUZZ_BUILD/corpus/$t" "$ROOT/fuzz/corpus/$t" \
    -max_total_time="$BUDGET" -timeout=10 -rss_limit_mb=2048 \
    -malloc_limit_mb=2048 -max_len="${MAX_LEN[$t]}" "${dict[@]}" \
    -artifact_prefix="$ARTIFACTS/$t/" -print_final_stats=1 >"$log" 2>&1
}

# A target passed when libFuzzer exited 0 and its log holds no report.
report() {
  local t="$1" status="$2"
  local log="$FUZZ_BUILD/logs/$t.log"
  local runs speed cov
  runs=$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$log" | grep -o '[0-9]*$' || true)
  speed=$(grep -o 'stat::average_exec_per_sec: *[0-9]*' "$log" | grep -o '[0-9]*$' || true)
  cov=$(grep -o 'cov: [0-9]*' "$log" | tail -1 | grep -o '[0-9]*$' || true)
  if [ "$status" -eq 0 ] && ! grep -qE \
    'ERROR: (AddressSanitizer|LeakSanitizer|libFuzzer)|runtime error:|FUZZ_CHECK' "$log"; then
    echo "fuzz: $t ok: ${runs:-?} inputs in ${BUDGET}s (${speed:-?}/s), coverage ${cov:-?}" >&2
    return 0
  fi
  echo "fuzz: $t FAILED (exit $status): log $log, inputs in $ARTIFACTS/$t/" >&2
  grep -E 'ERROR:|runtime error:|FUZZ_CHECK|SUMMARY:|^artifact_prefix|Test unit written' "$log" | head -20 >&2
  return 1
}

echo "== fuzzing ${TARGETS[*]} for ${BUDGET}s each, $JOBS at a time" >&2
failed=0
declare -A PIDS=()
for t in "${TARGETS[@]}"; do
  [ -n "${MAX_LEN[$t]:-}" ] || { echo "fuzz: no target '$t' (${ALL_TARGETS[*]})" >&2; exit 2; }
  while [ "${#PIDS[@]}" -ge "$JOBS" ]; do
    for p in "${!PIDS[@]}"; do
      if ! kill -0 "$p" 2>/dev/null; then
        status=0; wait "$p" || status=$?
        report "${PIDS[$p]}" "$status" || failed=1
        unset "PIDS[$p]"
      fi
    done
    [ "${#PIDS[@]}" -ge "$JOBS" ] && sleep 1
  done
  run_target "$t" &
  PIDS[$!]="$t"
done
for p in "${!PIDS[@]}"; do
  status=0; wait "$p" || status=$?
  report "${PIDS[$p]}" "$status" || failed=1
done
exit "$failed"
