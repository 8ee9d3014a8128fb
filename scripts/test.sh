#!/usr/bin/env bash
# The whole test suite, twice: on SQLite, then on a throwaway PostgreSQL cluster it starts
# itself (loopback only, a free port, removed on exit). Installs what it needs when missing.
#   bash scripts/test.sh                 everything
#   bash scripts/test.sh -k claim -x     extra arguments go to pytest (both runs)
#   WISHGRID_TEST_DBS=sqlite bash scripts/test.sh   only one of the two runs
#   WISHGRID_TEST_SERIAL=1 bash scripts/test.sh     the two runs one after the other
#   WISHGRID_TEST_WORKERS=0 bash scripts/test.sh    each run in one process (default: 2 workers)
# With both databases the two runs go side by side, each split over pytest-xdist workers (a run
# alone leaves a CPU idle while it waits on the browser or the database). PostgreSQL's output
# goes to test-artifacts/postgresql.log and is printed whole after the SQLite run's, so the two
# never interleave.
# Screenshots and other artefacts: test-artifacts/<database>/ (gitignored).
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
. scripts/_common.sh

apt_ensure chromium postgresql redis-server nginx fonts-noto-cjk default-jre-headless libpango-1.0-0 libpangoft2-1.0-0 \
    poppler-utils
venv_ensure requirements-dev.txt
compile_translations

PGDIR=""
PG_USER=""
pg_run() {  # run a PostgreSQL binary as the cluster's owner (the server refuses to run as root)
    if [ -n "$PG_USER" ]; then runuser -u "$PG_USER" -- "$@"; else "$@"; fi
}
PG_PID=""
stop_pg() {
    if [ -n "$PG_PID" ]; then kill "$PG_PID" 2>/dev/null || true; wait "$PG_PID" 2>/dev/null || true; PG_PID=""; fi
    if [ -n "$PGDIR" ] && [ -f "$PGDIR/data/postmaster.pid" ]; then
        pg_run "$PG_BIN/pg_ctl" -D "$PGDIR/data" -m immediate -w stop >/dev/null 2>&1 || true
    fi
    [ -n "$PGDIR" ] && rm -rf "$PGDIR"
    PGDIR=""
}
trap stop_pg EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

start_pg() {
    PG_BIN=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)
    if [ -z "$PG_BIN" ] || [ ! -x "$PG_BIN/initdb" ]; then
        echo "error: PostgreSQL server binaries not found under /usr/lib/postgresql/*/bin" >&2
        return 1
    fi
    PGDIR=$(mktemp -d /tmp/wishgrid-pg.XXXXXX)
    if [ "$(id -u)" -eq 0 ]; then
        PG_USER=postgres
        id -u "$PG_USER" >/dev/null 2>&1 || useradd --system --no-create-home "$PG_USER"
        chown "$PG_USER" "$PGDIR"
    fi
    PG_PORT=$(python -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
    # Byte-order collation, but a UTF-8 ctype: pg_trgm takes trigrams only of the characters
    # the ctype calls letters, and under C Chinese has none (models/search.py refuses that).
    pg_run "$PG_BIN/initdb" -D "$PGDIR/data" -U wishgrid --auth=trust -E UTF8 --locale=C --lc-ctype=C.UTF-8 \
        >"$PGDIR/initdb.log" 2>&1 || { cat "$PGDIR/initdb.log" >&2; return 1; }
    # Throwaway data: durability off for speed; loopback and a private socket directory only.
    pg_run "$PG_BIN/pg_ctl" -D "$PGDIR/data" -l "$PGDIR/server.log" -w -t 60 start -o \
        "-c listen_addresses=127.0.0.1 -p $PG_PORT -c unix_socket_directories=$PGDIR \
         -c max_connections=200 -c fsync=off -c synchronous_commit=off -c full_page_writes=off" \
        >/dev/null || { cat "$PGDIR/server.log" >&2; return 1; }
    pg_run "$PG_BIN/createdb" -h 127.0.0.1 -p "$PG_PORT" -U wishgrid wishgrid_test
    PG_URL="postgresql+psycopg://wishgrid@127.0.0.1:$PG_PORT/wishgrid_test"
}

run_suite() {  # run_suite NAME DATABASE_URL PYTEST-ARGS...
    local name=$1 url=$2; shift 2
    export WISHGRID_TEST_ARTIFACTS="$ROOT/test-artifacts/$name"
    rm -rf "$WISHGRID_TEST_ARTIFACTS"
    mkdir -p "$WISHGRID_TEST_ARTIFACTS"
    if [ -n "$url" ]; then export DATABASE_URL=$url; else unset DATABASE_URL; fi
    local workers=${WISHGRID_TEST_WORKERS:-2}
    if [ "$workers" = 0 ]; then python -m pytest "$@"
    else python -m pytest -n "$workers" --dist worksteal "$@"; fi
}

declare -A result
dbs=${WISHGRID_TEST_DBS:-sqlite postgresql}

if [ "$dbs" = "sqlite postgresql" ] && [ -z "${WISHGRID_TEST_SERIAL:-}" ]; then
    export WISHGRID_TEST_PASSES=both  # engine-neutral tests run in one of the two (tests/conftest.py)
    log "starting a throwaway PostgreSQL cluster"
    if start_pg; then
        PG_LOG="$ROOT/test-artifacts/postgresql.log"
        mkdir -p "$ROOT/test-artifacts"
        log "TEST RUN 2/2 started in parallel: the whole suite on PostgreSQL ($PG_URL) → $PG_LOG"
        ( run_suite postgresql "$PG_URL" "$@" ) >"$PG_LOG" 2>&1 &
        PG_PID=$!
    fi
    log "TEST RUN 1/2: the whole suite on SQLite"
    if run_suite sqlite "" "$@"; then result[sqlite]=passed; else result[sqlite]=FAILED; fi
    if [ -n "$PG_PID" ]; then
        if wait "$PG_PID"; then result[postgresql]=passed; else result[postgresql]=FAILED; fi
        PG_PID=""
        log "TEST RUN 2/2: the PostgreSQL run's output"
        cat "$PG_LOG"
    else
        result[postgresql]="FAILED (could not start PostgreSQL)"
    fi
    stop_pg
else
    for db in $dbs; do
        case $db in
            sqlite)
                log "TEST RUN: the whole suite on SQLite"
                if run_suite sqlite "" "$@"; then result[sqlite]=passed; else result[sqlite]=FAILED; fi
                ;;
            postgresql)
                log "TEST RUN: starting a throwaway PostgreSQL cluster"
                if start_pg; then
                    log "TEST RUN: the whole suite on PostgreSQL ($PG_URL)"
                    if run_suite postgresql "$PG_URL" "$@"; then result[postgresql]=passed
                    else result[postgresql]=FAILED; fi
                else
                    result[postgresql]="FAILED (could not start PostgreSQL)"
                fi
                stop_pg
                ;;
            *) echo "unknown database in WISHGRID_TEST_DBS: $db" >&2; exit 2 ;;
        esac
    done
fi

log "summary (artefacts in test-artifacts/)"
status=0
for db in $dbs; do
    echo "  $db: ${result[$db]}"
    [ "${result[$db]}" = passed ] || status=1
done
exit $status
