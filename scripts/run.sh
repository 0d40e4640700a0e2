#!/usr/bin/env bash
# The main job on a fresh machine: installs what is missing, builds, and
# starts replyd with the bundled packs (the agent console demo is at
# http://127.0.0.1:8080/). Other arguments go to replyd.
#
#   scripts/run.sh                                  # 127.0.0.1:8080, var/replyd-feedback.db
#   scripts/run.sh --listen 127.0.0.1:8099 --db /tmp/fb.db
#   REPLYD_LISTEN=0.0.0.0:8080 REPLYD_DB=/srv/fb.db scripts/run.sh
#
# The address and the database come from REPLYD_LISTEN / REPLYD_DB, then from
# --listen / --db (also --listen=HOST:PORT); the last value given wins, so a
# flag overrides the environment and a repeated flag its earlier self. The
# database defaults to var/ (ignored by git), outside the sources. A port
# already taken is reported with the process holding it (from ss or lsof,
# when installed) before replyd is started.
#
# REPLY_RUN_NO_BUILD=1 skips installing and building (tests, or a tree built
# already); BUILD_DIR picks the build directory (default build/).
set -euo pipefail
if [ "${REPLY_RUN_NO_BUILD:-0}" = 1 ]; then
  REPLY_SETUP_DEFINE_ONLY=1
fi
source "$(dirname "${BASH_SOURCE[0]}")/setup.sh"
cd "$ROOT"

listen="${REPLYD_LISTEN:-127.0.0.1:8080}"
db="${REPLYD_DB:-$ROOT/var/replyd-feedback.db}"
rest=()
while (($#)); do
  case "$1" in
    --listen | --db)
      if (($# < 2)); then
        echo "run.sh: $1 needs a value (e.g. $1 ${1/--listen/127.0.0.1:8099})" >&2
        exit 2
      fi
      if [ "$1" = --listen ]; then listen="$2"; else db="$2"; fi
      shift 2
      ;;
    --listen=*) listen="${1#--listen=}"; shift ;;
    --db=*) db="${1#--db=}"; shift ;;
    *) rest+=("$1"); shift ;;
  esac
done

# Who holds the port, as "pid 123 (python3)"; empty when free or unknown.
port_holder() {
  local port="$1"
  if command -v ss >/dev/null; then
    # users:(("python3",pid=123,fd=3))
    ss -Hltnp "sport = :$port" 2>/dev/null |
      sed -n 's/.*users:(("\([^"]*\)",pid=\([0-9]*\).*/pid \2 (\1)/p' | head -n1
  elif command -v lsof >/dev/null; then
    lsof -nP -iTCP:"$port" -sTCP:LISTEN -Fpc 2>/dev/null |
      awk '/^p/ {pid = substr($0, 2)} /^c/ {print "pid " pid " (" substr($0, 2) ")"; exit}'
  fi
}

# Whether something listens on the port, known without ss or lsof too.
port_taken() {
  local host="$1" port="$2"
  [ "$host" = 0.0.0.0 ] || [ -z "$host" ] && host=127.0.0.1
  (exec 3<>"/dev/tcp/$host/$port") 2>/dev/null
}

port="${listen##*:}"
host="${listen%:*}"
if [[ "$port" =~ ^[0-9]+$ ]] && [ "$port" != 0 ] && port_taken "$host" "$port"; then
  holder="$(port_holder "$port")"
  echo "run.sh: port $port is already in use${holder:+ by $holder}." >&2
  echo "run.sh: stop it, or pick another port: --listen 127.0.0.1:8099 (or REPLYD_LISTEN)." >&2
  exit 1
fi

mkdir -p "$(dirname "$db")"
echo "run.sh: replyd on http://$listen/ ; feedback database: $db" >&2
exec "$BUILD_DIR/server/replyd" --listen "$listen" --packs . --db "$db" \
  ${rest[@]+"${rest[@]}"}
