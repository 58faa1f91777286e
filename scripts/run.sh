#!/usr/bin/env bash
# Start a Celery worker (with beat) in the background and the web server in front.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=.venv/bin/python
.venv/bin/celery -A config worker -B --loglevel=INFO --concurrency=2 \
  --schedule var/celerybeat-schedule >var/celery.log 2>&1 &
worker=$!
trap 'kill $worker 2>/dev/null || true' EXIT INT TERM
echo "Celery worker running (log: var/celery.log); web on http://127.0.0.1:8000"
$PY manage.py runserver 127.0.0.1:8000
