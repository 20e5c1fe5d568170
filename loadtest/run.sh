#!/usr/bin/env bash
# make loadtest: a realistic load on the benchmark's database of synthetic fiches, from 127.0.0.1 only.
# Prepares the database (built once by manage.py bench, then reused) and the addresses
# (manage.py loadtest_addresses: fiches, filtered lists and searches, ranked by popularity), then
# loadtest/run.py starts gunicorn (2 workers, production settings over plain HTTP, Redis cache) and
# loads it with wrk (loadtest/zipf.lua): /healthz, then the pages with the page cache on, then off.
# About 4 minutes. See docs/performance.md, « Measuring ».
set -euo pipefail
cd "$(dirname "$0")/.."

export BIN=${BIN:-.venv/bin}
# The benchmark's database beside the site's: on the embedded PostgreSQL, or on DATABASE_URL's server.
ADDRESSES=${LOADTEST_ADDRESSES:-2000}

if ! command -v wrk >/dev/null; then
    echo "wrk est absent : installation depuis Debian."
    apt-get install -y -qq wrk >/dev/null || { apt-get update -qq && apt-get install -y -qq wrk >/dev/null; }
fi

mkdir -p var
$BIN/python manage.py bench --prepare-only
if [ -n "${DATABASE_URL:-}" ]; then
    export DATABASE_URL=${DATABASE_URL}_bench
else
    export DATABASE_URL=$($BIN/python -m config.database url cooperations_bench)
fi
# A development command (devtools is installed in debug mode only), reading the same database.
DJANGO_DEBUG=1 $BIN/python manage.py loadtest_addresses --count "$ADDRESSES" --output var/loadtest-urls.txt

export DJANGO_DEBUG=0 DJANGO_HTTPS=0 DJANGO_ALLOWED_HOSTS=127.0.0.1 DJANGO_LOG_LEVEL=WARNING
export DJANGO_SECRET_KEY=${DJANGO_SECRET_KEY:-local-loadtest-not-for-the-internet-0123456789abcdefghijklmn}
$BIN/python manage.py collectstatic --noinput --verbosity 0

exec $BIN/python loadtest/run.py var/loadtest-urls.txt
