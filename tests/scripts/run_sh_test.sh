#!/usr/bin/env bash
# scripts/run.sh as a new user runs it, against the real replyd of this
# build (REPLY_RUN_NO_BUILD=1: the tree is built): --listen and --db given
# twice (the last wins), REPLYD_LISTEN / REPLYD_DB, the database path printed
# at start, and a busy port reported with the process holding it.
#
#   run_sh_test.sh SOURCE_DIR BUILD_DIR
set -euo pipefail
src="$1"
build="$2"
tmp="$(mktemp -d)"
pids=()
cleanup() {
  for p in ${pids[@]+"${pids[@]}"}; do kill "$p" 2>/dev/null || true; done
  rm -rf "$tmp"
}
trap cleanup EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }

free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'
}

# Starts run.sh in the background with the given environment and arguments;
# waits until /healthz answers on $1.
start() {
  local port="$1"; shift
  env REPLY_RUN_NO_BUILD=1 BUILD_DIR="$build" "$@" >"$tmp/out" 2>"$tmp/err" &
  pids+=($!)
  for _ in $(seq 1 100); do
    if python3 - "$port" <<'PY' 2>/dev/null; then return 0; fi
import sys, urllib.request
urllib.request.urlopen(f"http://127.0.0.1:{sys.argv[1]}/healthz", timeout=1)
PY
    kill -0 "${pids[-1]}" 2>/dev/null || { cat "$tmp/err" >&2; fail "run.sh exited"; }
    sleep 0.1
  done
  fail "replyd did not answer on $port"
}

stop() { kill "${pids[-1]}"; wait "${pids[-1]}" 2>/dev/null || true; }

# 1. Flags given twice: the last wins, no CLI11 duplicate error.
p1="$(free_port)"
start "$p1" "$src/scripts/run.sh" --listen 127.0.0.1:1 --db "$tmp/first.db" \
  --listen "127.0.0.1:$p1" --db="$tmp/second.db"
grep -qF "feedback database: $tmp/second.db" "$tmp/err" ||
  fail "the database is not printed at start: $(cat "$tmp/err")"
stop
[ -e "$tmp/second.db" ] || fail "the last --db was not used"
[ ! -e "$tmp/first.db" ] || fail "the first --db was used"

# 2. The environment, overridden by a flag; a database in a new directory.
p2="$(free_port)"
start "$p2" REPLYD_LISTEN="127.0.0.1:$p2" REPLYD_DB="$tmp/env/fb.db" \
  "$src/scripts/run.sh"
grep -qF "feedback database: $tmp/env/fb.db" "$tmp/err" || fail "REPLYD_DB: $(cat "$tmp/err")"
stop
p3="$(free_port)"
start "$p3" REPLYD_LISTEN="127.0.0.1:1" "$src/scripts/run.sh" --listen "127.0.0.1:$p3" \
  --db "$tmp/third.db"
stop

# 3. The default database is under var/, outside the sources, git-ignored.
grep -qxF "/var/" "$src/.gitignore" || fail "var/ is not ignored by git"
grep -q 'db="${REPLYD_DB:-$ROOT/var/replyd-feedback.db}"' "$src/scripts/run.sh" ||
  fail "the default database is not var/replyd-feedback.db"

# 4. A busy port: said, with the process that holds it.
p4="$(free_port)"
python3 -c "import socket,time; s=socket.socket(); s.bind(('127.0.0.1',$p4)); s.listen(); time.sleep(60)" &
holder=$!
pids+=("$holder")
for _ in $(seq 1 50); do (exec 3<>"/dev/tcp/127.0.0.1/$p4") 2>/dev/null && break; sleep 0.1; done
set +e
REPLY_RUN_NO_BUILD=1 BUILD_DIR="$build" "$src/scripts/run.sh" --listen "127.0.0.1:$p4" \
  --db "$tmp/busy.db" 2>"$tmp/err" >/dev/null
rc=$?
set -e
[ "$rc" = 1 ] || fail "a busy port exits $rc, not 1"
grep -qF "port $p4 is already in use" "$tmp/err" || fail "busy port: $(cat "$tmp/err")"
if command -v ss >/dev/null || command -v lsof >/dev/null; then
  grep -qF "by pid $holder (python3)" "$tmp/err" || fail "holder not named: $(cat "$tmp/err")"
fi
grep -qF -- "--listen 127.0.0.1:8099" "$tmp/err" || fail "no way out suggested"
echo "run.sh: all checks passed"
