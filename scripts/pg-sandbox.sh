#!/usr/bin/env bash
# A throwaway PostgreSQL cluster for the tests of the PostgreSQL backend.
#
#   scripts/pg-sandbox.sh start DIR    make and start a cluster in DIR; prints its URL
#                                      (postgres://postgres@127.0.0.1:PORT/postgres),
#                                      also written to DIR/url
#   scripts/pg-sandbox.sh stop DIR     stop it (fast) and remove DIR
#   scripts/pg-sandbox.sh restart DIR  restart it (fast), for fault tests
#   scripts/pg-sandbox.sh kill DIR     stop it the way a crash does (immediate)
set -euo pipefail

usage() { echo "usage: $0 start|stop|restart|kill DIR" >&2; exit 2; }
[ $# -eq 2 ] || usage
cmd=$1
dir=$2
[ "$cmd" != start ] || mkdir -p "$dir"
# Absolute: the socket directory must be, and pg_ctl runs as another user.
[ ! -d "$dir" ] || dir=$(cd "$dir" && pwd)

bindir=$(pg_config --bindir 2>/dev/null || true)
[ -x "$bindir/initdb" ] || bindir=/usr/lib/postgresql/15/bin

# initdb refuses to run as root: the cluster belongs to the postgres user then.
as_owner() {
  if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

# A port nobody listens on: connecting to it is refused.
free_port() {
  local port
  for _ in $(seq 100); do
    port=$((20000 + RANDOM % 40000))
    if ! (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
      echo "$port"
      return
    fi
  done
  echo "no free port found" >&2
  exit 1
}

pg_ctl_() { as_owner "$bindir/pg_ctl" -D "$dir/data" -l "$dir/log" "$@"; }

case $cmd in
  start)
    if [ "$(id -u)" -eq 0 ]; then
      chown postgres: "$dir"
      runuser -u postgres -- test -x "$dir" \
        || { echo "$dir: the postgres user cannot reach it (check its parents' modes)" >&2; exit 1; }
    fi
    as_owner "$bindir/initdb" -D "$dir/data" -U postgres --auth=trust --encoding=UTF8 --locale=C >/dev/null
    port=$(free_port)
    # Loopback only; the socket stays inside DIR; several servers, each with
    # a pool, share the cluster; fsync stays on: durability is what the tests prove.
    cat >>"$dir/data/postgresql.conf" <<EOF
listen_addresses = '127.0.0.1'
port = $port
unix_socket_directories = '$dir'
max_connections = 300
fsync = on
EOF
    pg_ctl_ -w start >/dev/null
    url="postgres://postgres@127.0.0.1:$port/postgres"
    echo "$url" >"$dir/url"
    echo "$url"
    ;;
  stop)
    # A cluster that is already down (killed, or never started) is only removed.
    if [ -f "$dir/data/postmaster.pid" ]; then pg_ctl_ -w -m fast stop >/dev/null; fi
    rm -rf "$dir"
    ;;
  restart)
    pg_ctl_ -w -m fast restart >/dev/null
    ;;
  kill)
    pg_ctl_ -m immediate stop >/dev/null
    ;;
  *)
    usage
    ;;
esac
