#!/usr/bin/env bash
# Run a benchmark against a throwaway PostgreSQL cluster (loopback only, a free port, removed
# on exit); the same lines as scripts/test.sh's start_pg.
#   bash bench/with_pg.sh python bench/load.py        ($PG_URL is passed as --db)
set -euo pipefail
cd "$(dirname "$0")/.."
PGDIR=""
PG_USER=""
PG_BIN=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)
pg_run() { if [ -n "$PG_USER" ]; then runuser -u "$PG_USER" -- "$@"; else "$@"; fi; }
stop_pg() {
    if [ -n "$PGDIR" ] && [ -f "$PGDIR/data/postmaster.pid" ]; then
        pg_run "$PG_BIN/pg_ctl" -D "$PGDIR/data" -m immediate -w stop >/dev/null 2>&1 || true
    fi
    [ -n "$PGDIR" ] && rm -rf "$PGDIR"
    PGDIR=""
}
trap stop_pg EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
PGDIR=$(mktemp -d /tmp/wishgrid-pg.XXXXXX)
if [ "$(id -u)" -eq 0 ]; then
    PG_USER=postgres
    id -u "$PG_USER" >/dev/null 2>&1 || useradd --system --no-create-home "$PG_USER"
    chown "$PG_USER" "$PGDIR"
fi
PG_PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
pg_run "$PG_BIN/initdb" -D "$PGDIR/data" -U wishgrid --auth=trust -E UTF8 --locale=C --lc-ctype=C.UTF-8 \
    >"$PGDIR/initdb.log" 2>&1 || { cat "$PGDIR/initdb.log" >&2; exit 1; }
pg_run "$PG_BIN/pg_ctl" -D "$PGDIR/data" -l "$PGDIR/server.log" -w -t 60 start -o \
    "-c listen_addresses=127.0.0.1 -p $PG_PORT -c unix_socket_directories=$PGDIR \
     -c max_connections=200 -c fsync=off -c synchronous_commit=off -c full_page_writes=off" \
    >/dev/null || { cat "$PGDIR/server.log" >&2; exit 1; }
pg_run "$PG_BIN/createdb" -h 127.0.0.1 -p "$PG_PORT" -U wishgrid wishgrid_bench
PG_URL="postgresql+psycopg://wishgrid@127.0.0.1:$PG_PORT/wishgrid_bench"
"$@" --db "$PG_URL"
