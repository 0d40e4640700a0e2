#!/usr/bin/env bash
# A throwaway PostgreSQL (Debian's postgresql package) in a directory, for
# the PostgreSQL tests and scripts/cluster.sh.
#
#   scripts/pg_local.sh start DIR    # initdb on first use, start; prints the URL
#   scripts/pg_local.sh stop DIR     # fast shutdown (clients are cut off)
#   scripts/pg_local.sh url DIR      # postgresql://replyd@/replyd?host=DIR&port=5432
#
# DIR: an empty directory (its parent must be traversable: /tmp is). The
# server listens on a unix socket in DIR only, no TCP port (nothing to
# collide with), and trusts whoever reaches that socket: DIR is mode 0700,
# so only the server's user and root do. Database `replyd`, superuser
# `replyd`. fsync stays on: an acknowledged row is on disk, as in
# production.
#
# initdb refuses to run as root: as root, the server runs as user `nobody`
# (runuser) and DIR is given to it.
#
# Exit status 77: PostgreSQL's binaries are not installed (scripts/setup.sh
# installs them); the tests skip on it.
set -euo pipefail

cmd="${1:-}"
dir="${2:-}"
if [ -z "$cmd" ] || [ -z "$dir" ]; then
  echo "usage: $0 start|stop|url DIR" >&2
  exit 2
fi
dir="$(cd "$dir" && pwd)"
port=5432
url="postgresql://replyd@/replyd?host=$dir&port=$port"

bindir=""
for d in /usr/lib/postgresql/*/bin; do
  [ -x "$d/initdb" ] && bindir="$d"  # the glob sorts: the newest version last
done
if [ -z "$bindir" ]; then
  echo "pg_local.sh: PostgreSQL is not installed (no /usr/lib/postgresql/*/bin/initdb); run scripts/setup.sh or apt-get install postgresql" >&2
  exit 77
fi

# As nobody, from /: the caller's directory may be closed to nobody (a
# checkout under a 700 directory), and PostgreSQL's tools then print
# "could not change directory" into what the caller reads.
as_server() {
  if [ "$(id -u)" -eq 0 ]; then
    (cd / && runuser -u nobody -- "$@")
  else
    "$@"
  fi
}

case "$cmd" in
  start)
    if [ ! -f "$dir/data/PG_VERSION" ]; then
      [ "$(id -u)" -eq 0 ] && chown nobody: "$dir"
      chmod 700 "$dir"
      as_server "$bindir/initdb" -D "$dir/data" -U replyd -A trust -E UTF8 \
        --no-locale --no-sync >"$dir/initdb.log" 2>&1 || {
        echo "pg_local.sh: initdb failed; see $dir/initdb.log:" >&2
        tail -5 "$dir/initdb.log" >&2
        exit 1
      }
      fresh=1
    fi
    as_server "$bindir/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 \
      -o "-k $dir -p $port -c listen_addresses=''" start >/dev/null || {
      echo "pg_local.sh: PostgreSQL did not start; see $dir/server.log:" >&2
      tail -5 "$dir/server.log" >&2
      exit 1
    }
    if [ "${fresh:-0}" = 1 ]; then
      as_server "$bindir/createdb" -h "$dir" -p "$port" -U replyd replyd
    fi
    echo "$url"
    ;;
  stop)
    as_server "$bindir/pg_ctl" -D "$dir/data" -m fast -w -t 60 stop >/dev/null
    ;;
  url)
    echo "$url"
    ;;
  *)
    echo "usage: $0 start|stop|url DIR" >&2
    exit 2
    ;;
esac
