#!/usr/bin/env bash
# make lighthouse: Lighthouse (package.json) with Debian's Chromium over every public page, served in
# production mode (DEBUG off, gunicorn, whitenoise, collected static files) from its own database seeded
# with the territories and the seed fiches, on 127.0.0.1 only. Starts and stops gunicorn itself, prints a
# table, writes var/lighthouse.json, and fails when a page scores under 95 or shifts by 0.1 or more.
set -euo pipefail
cd "$(dirname "$0")/.."

BIN=${BIN:-.venv/bin}
DB=${LIGHTHOUSE_DB:-cooperations_lighthouse}
PORT=${LIGHTHOUSE_PORT:-8500}
export CHROME_PATH=${CHROME_PATH:-/usr/bin/chromium}

[ -x "$CHROME_PATH" ] || { echo "Chromium est absent ($CHROME_PATH) : apt-get install -y chromium"; exit 1; }
[ -f node_modules/lighthouse/package.json ] || npm ci --no-audit --no-fund --loglevel=error

# Its own database on the embedded PostgreSQL (created if needed), or LIGHTHOUSE_DATABASE_URL.
export DATABASE_URL=${LIGHTHOUSE_DATABASE_URL:-$($BIN/python -m config.database url "$DB")}
export DJANGO_DEBUG=0 DJANGO_HTTPS=0 DJANGO_ALLOWED_HOSTS=127.0.0.1 DJANGO_LOG_LEVEL=WARNING
export DJANGO_SECRET_KEY=${DJANGO_SECRET_KEY:-local-lighthouse-not-for-the-internet-0123456789abcdefghijk}
export WEB_CONCURRENCY=2 GUNICORN_BIND=127.0.0.1:$PORT GUNICORN_ACCESS_LOG=/dev/null

mkdir -p var
$BIN/python manage.py migrate --noinput --verbosity 0
$BIN/python manage.py createcachetable
$BIN/python manage.py load_territories > /dev/null
$BIN/python manage.py load_seed > /dev/null
$BIN/python manage.py collectstatic --noinput --verbosity 0
$BIN/python manage.py shell --no-imports --verbosity 0 < loadtest/lighthouse_urls.py > var/lighthouse-pages.tsv

$BIN/gunicorn -c config/gunicorn.conf.py config.wsgi > var/lighthouse-gunicorn.log 2>&1 &
GUNICORN=$!
trap 'kill $GUNICORN 2>/dev/null; wait $GUNICORN 2>/dev/null || true' EXIT
for _ in $(seq 50); do
    curl -sf "http://127.0.0.1:$PORT/healthz" >/dev/null && break
    sleep 0.2
done
curl -sf "http://127.0.0.1:$PORT/healthz" >/dev/null || { echo "gunicorn ne répond pas :"; cat var/lighthouse-gunicorn.log; exit 1; }
# One visit of each page first, so that the measures see the warm caches that visitors see.
cut -f2 var/lighthouse-pages.tsv | while read -r path; do curl -s -o /dev/null "http://127.0.0.1:$PORT$path"; done

echo "Lighthouse $(node -p 'require("./node_modules/lighthouse/package.json").version'), $($CHROME_PATH --version 2>/dev/null), charge $(cut -d' ' -f1-3 /proc/loadavg)"
node loadtest/lighthouse.mjs "http://127.0.0.1:$PORT" var/lighthouse-pages.tsv var/lighthouse.json
