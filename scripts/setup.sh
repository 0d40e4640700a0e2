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
  libyaml-cpp-dev libkainjow-mustache-dev libsqlite3-dev libcli11-dev
  libgtest-dev libgmock-dev libbenchmark-dev libexpat1-dev
)

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
    -DCMAKE_CXX_COMPILER_LAUNCHER=ccache "$@" >/dev/null
  cmake --build "$dir" -j "$(nproc)"
}

install_missing "${PACKAGES[@]}"
configure_and_build "$BUILD_DIR"
