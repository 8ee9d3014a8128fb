#!/usr/bin/env bash
# Regenerate migrations/versions/ as ONE initial revision from the current models.
# Autogenerates against a scratch SQLite database, then upgrades a second scratch database
# to head as a check. Run it after models change (before the first release: one revision).
set -euo pipefail
cd "$(dirname "$0")/.."
if [ -z "${VIRTUAL_ENV:-}" ] && [ -f .venv/bin/activate ]; then . .venv/bin/activate; fi

scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
unset DATABASE_URL  # always SQLite here: the revision is written to work on both databases
export WISHGRID_INSTANCE="$scratch/autogen"

rm -f migrations/versions/*.py
rm -rf migrations/versions/__pycache__
mkdir -p migrations/versions
flask --app webapp db migrate -m "initial schema" --rev-id 0001

echo "== checking: upgrade a fresh database to head"
export WISHGRID_INSTANCE="$scratch/check"
flask --app webapp db upgrade
ls migrations/versions/
