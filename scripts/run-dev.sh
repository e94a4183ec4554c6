#!/usr/bin/env bash
# Prepare the demo and serve Engage on http://127.0.0.1:8000 with a background-task worker.
# Called by `make run`; Ctrl-C stops the web server and the worker together.
set -euo pipefail
cd "$(dirname "$0")/.."

VENV=${VENV:-.venv}
PY="$VENV/bin/python"
ADDRESS=${ADDRESS:-127.0.0.1:8000}

export DJANGO_ENV=development
export DJANGO_SETTINGS_MODULE=config.settings.base
# The same defaults as config/settings/base.py; exported so the banner and seed_demo agree.
export DEMO_PASSWORD=${DEMO_PASSWORD:-engage-demo-password}
export DEMO_TOTP_SECRET=${DEMO_TOTP_SECRET:-JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP}

"$PY" manage.py migrate --noinput
"$PY" manage.py load_reference_data
"$PY" manage.py seed_demo
# DEBUG is off, so static files are served by WhiteNoise from STATIC_ROOT with a manifest.
"$PY" manage.py collectstatic --noinput --verbosity 0

cat <<INFO

Engage is starting on http://${ADDRESS}/ with a background-task worker.

Sign in as any demo persona listed above with the password: ${DEMO_PASSWORD}
When asked for an authenticator code, run \`make totp\` in another terminal (or add the
TOTP secret ${DEMO_TOTP_SECRET} to an authenticator app).
Emails are printed here rather than sent. Press Ctrl-C to stop.

INFO

# Each process gets its own process group, so stopping it also stops its children (the
# runserver autoreloader runs the real server in a child process).
set -m
"$PY" manage.py runserver "$ADDRESS" &
web=$!
# run_worker is db_worker that first requeues tasks a killed worker left running.
"$PY" manage.py run_worker &
worker=$!
set +m

stop() {
    trap - INT TERM EXIT
    kill -TERM -- "-$web" "-$worker" 2>/dev/null || true
    wait "$web" "$worker" 2>/dev/null || true
}
trap 'stop; exit 0' INT TERM
trap stop EXIT

# If either stops by itself (a crash, the port in use), stop the other and report failure.
status=0
wait -n "$web" "$worker" || status=$?
echo "A process stopped (exit status $status); stopping the other." >&2
stop
exit $((status == 0 ? 1 : status))
