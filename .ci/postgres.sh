# Sourced by .ci/run: a throw-away PostgreSQL server for the register tests.
#   pg_start   initdb in a temporary folder, start on a free local port, export IJWCLI_TEST_PG
#   pg_stop    stop it and remove the folder
# PostgreSQL refuses to run as root: as root the server runs as the unprivileged user
# `nobody`. Without the binaries it says so and the PostgreSQL tests skip with that reason.

PG_BIN="${PG_BIN:-/usr/lib/postgresql/15/bin}"

_pg_als() {
  if [ "$(id -u)" -eq 0 ]; then
    runuser -u nobody -- "$@"
  else
    "$@"
  fi
}

pg_start() {
  if [ ! -x "$PG_BIN/initdb" ]; then
    echo "PostgreSQL niet gevonden in $PG_BIN: de PostgreSQL-registertests worden overgeslagen"
    return 0
  fi
  PG_DIR="$(mktemp -d /tmp/ijwcli-pg.XXXXXX)"
  [ "$(id -u)" -eq 0 ] && chown nobody "$PG_DIR"
  local port
  port="$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
  _pg_als "$PG_BIN/initdb" -D "$PG_DIR/data" -U ijw -A trust -E UTF8 --no-sync >"$PG_DIR/initdb.log" 2>&1 \
    || { cat "$PG_DIR/initdb.log"; return 1; }
  # fsync off: a test server; the register's own atomicity is the database's, not the disk's.
  _pg_als "$PG_BIN/pg_ctl" -D "$PG_DIR/data" -l "$PG_DIR/server.log" -w -t 60 \
    -o "-p $port -k $PG_DIR -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=50" \
    start >/dev/null || { cat "$PG_DIR/server.log"; return 1; }
  export IJWCLI_TEST_PG="postgresql+psycopg://ijw@127.0.0.1:$port/postgres"
  echo "PostgreSQL voor de registertests op poort $port ($PG_DIR)"
}

pg_stop() {
  if [ -n "${PG_DIR:-}" ] && [ -d "$PG_DIR/data" ]; then
    _pg_als "$PG_BIN/pg_ctl" -D "$PG_DIR/data" -m fast -w stop >/dev/null 2>&1 || true
    rm -rf "$PG_DIR"
  fi
}
