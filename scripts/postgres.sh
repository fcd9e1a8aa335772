#!/usr/bin/env bash
# A throwaway PostgreSQL cluster for the test suite: `source scripts/postgres.sh start` initialises one in a
# temporary folder, on loopback and a free port, and exports
#   METARL_TEST_POSTGRES      an Npgsql connection string to its database metarl_test;
#   METARL_TEST_POSTGRES_CTL  a script taking stop|start (the outage test stops the server and starts it again).
# `scripts/postgres.sh stop <dir>` (or postgres_stop after sourcing) stops it and removes the folder.
# As root, the server runs as Debian's `postgres` user (PostgreSQL refuses to run as root).
set -euo pipefail

pg_bin() { ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1; }

free_port() {
  python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'
}

postgres_start() {
  local bin dir port as
  bin=$(pg_bin)
  [ -n "$bin" ] || { echo "postgres.sh: PostgreSQL is not installed (apt-get install postgresql)" >&2; return 1; }
  dir=$(mktemp -d /tmp/metarl-pg.XXXXXX)
  port=$(free_port)
  as=()
  if [ "$(id -u)" = 0 ]; then
    chown postgres:postgres "$dir"
    as=(runuser -u postgres --)
  fi
  "${as[@]}" "$bin/initdb" -D "$dir/data" -A trust -U metarl >"$dir/initdb.log" 2>&1
  cat >"$dir/ctl.sh" <<CTL
#!/usr/bin/env bash
# stop | start the throwaway cluster in $dir (port $port).
case "\$1" in
  stop) ${as[*]} "$bin/pg_ctl" -D "$dir/data" -m fast -w stop >>"$dir/server.log" 2>&1 ;;
  start) ${as[*]} "$bin/pg_ctl" -D "$dir/data" -w -l "$dir/server.log" \
           -o "-p $port -k $dir -c listen_addresses=127.0.0.1 -c fsync=off" start >/dev/null ;;
  *) echo "usage: \$0 stop|start" >&2; exit 2 ;;
esac
CTL
  chmod +x "$dir/ctl.sh"
  "$dir/ctl.sh" start
  "${as[@]}" "$bin/psql" -h 127.0.0.1 -p "$port" -U metarl -d postgres -qc "CREATE DATABASE metarl_test" >/dev/null
  export METARL_TEST_POSTGRES="Host=127.0.0.1;Port=$port;Database=metarl_test;Username=metarl"
  export METARL_TEST_POSTGRES_CTL="$dir/ctl.sh"
  export METARL_TEST_POSTGRES_DIR="$dir"
  echo "postgres: throwaway cluster on 127.0.0.1:$port in $dir" >&2
}

postgres_stop() {
  local dir=${1:-${METARL_TEST_POSTGRES_DIR:-}}
  [ -n "$dir" ] && [ -d "$dir" ] || return 0
  "$dir/ctl.sh" stop || true
  rm -rf "$dir"
}

if [ "${BASH_SOURCE[0]}" = "$0" ]; then
  case "${1:-}" in
    start) postgres_start; echo "$METARL_TEST_POSTGRES" ;;
    stop) postgres_stop "${2:-}" ;;
    *) echo "usage: scripts/postgres.sh start | stop <dir>" >&2; exit 2 ;;
  esac
elif [ "${1:-}" = start ]; then
  postgres_start
fi
