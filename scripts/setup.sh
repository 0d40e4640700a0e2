#!/usr/bin/env bash
# Brings a fresh Debian 12 machine to a built tree: installs the Debian packages
# the project needs (only the missing ones), configures with CMake + Ninja and
# builds into build/. Sourced by scripts/run.sh and scripts/test.sh.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
BUILD_DIR="${BUILD_DIR:-$ROOT/build}"

PACKAGES=(
  cmake ninja-build g++ pkg-config ccache
  libicu-dev libre2-dev nlohmann-json3-dev libboost1.81-dev
  libyaml-cpp-dev libsqlite3-dev libcli11-dev
  libgtest-dev libgmock-dev libbenchmark-dev libexpat1-dev
  # SHA-256: token comparison (server/access.cc) and the eval split
  # (tools/eval/split.h).
  libssl-dev
  # The PostgreSQL feedback store (--db postgresql://...): libpq to talk to
  # it; the server, which the PostgreSQL tests and scripts/cluster.sh start
  # in a temporary directory (scripts/pg_local.sh).
  libpq-dev postgresql
  # The load balancer of scripts/cluster.sh and the cluster tests.
  haproxy
  # The web tests: Debian's browser (a test tool never downloads its own),
  # the SQLite shell to read feedback rows, CJK glyphs for screenshots.
  chromium sqlite3 fonts-noto-cjk
)
# scripts/fuzz.sh only: clang with libFuzzer and the sanitizer runtimes
# (libclang-rt-14-dev holds libclang_rt.fuzzer, ASan and UBSan).
FUZZ_PACKAGES=(clang libclang-rt-14-dev)

install_missing() {
  local missing=()
  for p in "$@"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" ||
      missing+=("$p")
  done
  ((${#missing[@]})) || return 0
  local sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  echo "setup: installing ${missing[*]}" >&2
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq \
    --no-install-recommends "${missing[@]}" >/dev/null
}

configure_and_build() {
  local dir="$1"; shift
  cmake -S "$ROOT" -B "$dir" -G Ninja -DCMAKE_BUILD_TYPE=Release \
    -DCMAKE_CXX_COMPILER_LAUNCHER=ccache \
    -DREPLY_WERROR="${REPLY_WERROR:-OFF}" "$@" >/dev/null
  cmake --build "$dir" -j "$(nproc)"
}

# The web tests run on Node.js 20.4+ (already on this kind of machine) with
# playwright-core from the npm registry, pinned by tests/web/package-lock.json.
install_web_test_deps() {
  if ! command -v node >/dev/null; then
    install_missing nodejs npm
  fi
  if ! node -e 'const [a, b] = process.versions.node.split(".").map(Number);
                process.exit(a > 20 || (a === 20 && b >= 4) ? 0 : 1)'; then
    echo "setup: node $(node --version) is too old for the web tests (need 20.4+)" >&2
    exit 1
  fi
  if [ ! -d "$ROOT/tests/web/node_modules/playwright-core" ]; then
    PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --prefix "$ROOT/tests/web" \
      --no-audit --no-fund >/dev/null
  fi
}

# scripts/fuzz.sh wants the functions and lists only.
[ "${REPLY_SETUP_DEFINE_ONLY:-0}" = 1 ] && return 0

install_missing "${PACKAGES[@]}"
install_web_test_deps
configure_and_build "$BUILD_DIR"
