#!/usr/bin/env bash
# Every test on a fresh machine: installs what is missing, builds, runs the
# whole suite, then builds the threaded tests with ThreadSanitizer and runs
# them. CI runs this (.ci/run).
set -euo pipefail
# CI builds with warnings as errors (CMake option REPLY_WERROR).
export REPLY_WERROR=ON
source "$(dirname "${BASH_SOURCE[0]}")/setup.sh"
cd "$ROOT"

# Four at a time on two cores: a quarter of the Release tests' time is spent
# waiting (sockets, timeouts, PostgreSQL, Chromium), 162 CPU-s in 111 s at
# -j2; -j4 took 92 s on the same quiet machine. The ThreadSanitizer tests
# keep -j2: they are CPU-bound shards, and -j4 gained nothing (70 s both).
ctest --test-dir "$BUILD_DIR" --output-on-failure -j4

echo "== ThreadSanitizer build" >&2
configure_and_build "$ROOT/build-tsan" -DREPLY_TSAN=ON -DCMAKE_BUILD_TYPE=RelWithDebInfo
TSAN_OPTIONS="halt_on_error=1 second_deadlock_stack=1" \
  ctest --test-dir "$ROOT/build-tsan" --output-on-failure -j2
