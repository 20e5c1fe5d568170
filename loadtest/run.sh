#!/usr/bin/env bash
# make loadtest: gunicorn (2 workers, production settings over plain HTTP) on the benchmark's database of
# synthetic fiches, loaded for 30 s by wrk with 32 connections over list, search and fiche pages, from
# 127.0.0.1 only. Starts and stops gunicorn itself. Goal: no error and a p99 under 500 ms.
set -euo pipefail
cd "$(dirname "$0")/.."

BIN=${BIN:-.venv/bin}
BASE_DATABASE_URL=${BASE_DATABASE_URL:-postgres://postgres@127.0.0.1:5432/cooperations}
PORT=${LOADTEST_PORT:-8400}
DURATION=${LOADTEST_DURATION:-30s}
CONNECTIONS=${LOADTEST_CONNECTIONS:-32}
P99_GOAL_MS=500

if ! command -v wrk >/dev/null; then
    echo "wrk est absent : installation depuis Debian."
    apt-get install -y -qq wrk >/dev/null || { apt-get update -qq && apt-get install -y -qq wrk >/dev/null; }
fi

mkdir -p var
# The synthetic directory (built once, then reused) and the addresses to rotate over.
DATABASE_URL=$BASE_DATABASE_URL $BIN/python manage.py bench --prepare-only --urls var/loadtest-urls.txt

export DATABASE_URL=${BASE_DATABASE_URL}_bench
export DJANGO_DEBUG=0 DJANGO_HTTPS=0 DJANGO_ALLOWED_HOSTS=127.0.0.1 DJANGO_LOG_LEVEL=WARNING
export DJANGO_SECRET_KEY=${DJANGO_SECRET_KEY:-local-loadtest-not-for-the-internet-0123456789abcdefghijklmn}
export WEB_CONCURRENCY=2 GUNICORN_BIND=127.0.0.1:$PORT GUNICORN_ACCESS_LOG=/dev/null
$BIN/python manage.py collectstatic --noinput --verbosity 0

$BIN/gunicorn -c config/gunicorn.conf.py config.wsgi > var/loadtest-gunicorn.log 2>&1 &
GUNICORN=$!
trap 'kill $GUNICORN 2>/dev/null; wait $GUNICORN 2>/dev/null || true' EXIT
for _ in $(seq 50); do
    curl -sf "http://127.0.0.1:$PORT/healthz" >/dev/null && break
    sleep 0.2
done
curl -sf "http://127.0.0.1:$PORT/healthz" >/dev/null || { echo "gunicorn ne répond pas :"; cat var/loadtest-gunicorn.log; exit 1; }

# A first pass over every address, so that each worker has its connection and its cache warm.
while read -r url; do curl -s -o /dev/null "http://127.0.0.1:$PORT$url"; done < var/loadtest-urls.txt

echo "Charge : $CONNECTIONS connexions pendant $DURATION sur $(wc -l < var/loadtest-urls.txt) adresses."
wrk -t2 -c"$CONNECTIONS" -d"$DURATION" --timeout 10s -s loadtest/rotate.lua "http://127.0.0.1:$PORT" \
    -- var/loadtest-urls.txt

$BIN/python - "$P99_GOAL_MS" <<'PY'
import json, sys
result = json.load(open("var/loadtest.json"))
errors = result["non_2xx"] + result["socket_errors"]
met = errors == 0 and result["p99_ms"] < float(sys.argv[1])
print(f"Objectif (aucune erreur, p99 < {sys.argv[1]} ms) : {'atteint' if met else 'MANQUÉ'}.")
sys.exit(0 if met else 1)
PY
