#!/usr/bin/env bash
# The several-hosts shape of docs/DEPLOY.md §2 on this one machine, loopback only: a throwaway
# PostgreSQL, redis-server (shared rate limits), nginx (the proxy), two gunicorn web hosts with
# an instance dir each, two job hosts (python -m jobs, one holds the lock, the other waits),
# one SECRET_KEY, a shared export dir; the demo seeded. Prints the proxy's address; Ctrl-C
# stops every process it started and removes its temp dirs.
#   bash scripts/fleet.sh                    2 web hosts × 2 workers × 4 threads
#   bash scripts/fleet.sh --workers 1 --keep keep the logs (the temp dir is printed)
# The topology is built by tests/fleet/, which the fault tests (tests/fault/test_fleet.py)
# and bench/fleet.py start too.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/_common.sh

apt_ensure postgresql redis-server nginx libpango-1.0-0 libpangoft2-1.0-0 fonts-noto-cjk
venv_ensure requirements.txt
compile_translations

exec python -m tests.fleet "$@"
