#!/usr/bin/env bash
# Run Wishgrid here: .venv, packages, translations, migrations, demo data, then the job process
# in the background and the web server (gunicorn) in the foreground. Ctrl-C stops both.
#   bash scripts/run.sh                 http://127.0.0.1:5000
#   PORT=8000 HOST=0.0.0.0 bash scripts/run.sh
#   DATABASE_URL=postgresql+psycopg://user:pw@host/db bash scripts/run.sh   (several workers)
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/_common.sh

# WeasyPrint (certificate PDFs) draws text with pango; CJK glyphs from Noto.
apt_ensure libpango-1.0-0 libpangoft2-1.0-0 fonts-noto-cjk
venv_ensure requirements.txt
compile_translations

log "migrating the database"
flask --app webapp db upgrade
log "demo data (idempotent)"
flask --app webapp seed-demo

# No SMS provider configured: the development provider, which sends nothing and writes each
# text (sign-in codes too) to /staff/dev-sms and the job log. Not for production: set
# SMS_PROVIDER=aliyun or tencent (docs/DEPLOY.md), or SMS_PROVIDER= (empty) for no SMS at all.
export SMS_PROVIDER="${SMS_PROVIDER-dev}"
if [ "$SMS_PROVIDER" = dev ]; then
    log "SMS: development provider, NOT for production (nothing is sent; texts on /staff/dev-sms and in the job log)"
fi

HOST=${HOST:-127.0.0.1}
PORT=${PORT:-5000}
case "${DATABASE_URL:-sqlite}" in
    postgresql*) workers=${WEB_WORKERS:-$(( $(nproc) * 2 + 1 ))}; threads=${WEB_THREADS:-4} ;;
    # SQLite: one process (one writer at a time anyway), threads for concurrent readers.
    *) workers=1; threads=${WEB_THREADS:-8} ;;
esac

jobs_pid=""
web_pid=""
cleanup() {
    trap - EXIT INT TERM
    [ -n "$web_pid" ] && kill -TERM "$web_pid" 2>/dev/null || true
    [ -n "$jobs_pid" ] && kill -TERM "$jobs_pid" 2>/dev/null || true
    wait 2>/dev/null || true
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

log "starting the job process (python -m jobs)"
python -m jobs &
jobs_pid=$!

log "Wishgrid on http://$HOST:$PORT  (demo password: wishgrid-demo; Ctrl-C stops)"
gunicorn --bind "$HOST:$PORT" --workers "$workers" --threads "$threads" \
    --access-logfile - --graceful-timeout 10 "webapp:create_app()" &
web_pid=$!
wait "$web_pid"
