#!/usr/bin/env bash
# Apply every migration, from nothing, to a fresh SQLite database and, when a URL is given,
# to that (empty) PostgreSQL database. The test suite builds its schema from the models
# (--nomigrations, docs/decisions/0019), and `make lint` proves the migrations describe the
# models; this proves they run.
#
#   scripts/check-migrations.sh [postgres://...]
set -euo pipefail
cd "$(dirname "$0")/.."
python=${VENV:-.venv}/bin/python

scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
DJANGO_SETTINGS_MODULE=config.settings.test DATABASE_URL="sqlite:///$scratch/engage.sqlite3" \
    "$python" manage.py migrate --verbosity 0
echo "Every migration applies to a fresh SQLite database."
if [ -n "${1:-}" ]; then
    DJANGO_SETTINGS_MODULE=config.settings.test DATABASE_URL="$1" \
        "$python" manage.py migrate --verbosity 0
    echo "Every migration applies to a fresh PostgreSQL database."
fi
