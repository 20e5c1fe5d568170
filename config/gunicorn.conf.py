"""gunicorn settings for Coopérations IAE; every value can be overridden by the environment.

    gunicorn -c config/gunicorn.conf.py config.wsgi

The application server is stateless (sessions in the database, cache in Redis), so as many of them as
needed can run behind a load balancer.
"""

import multiprocessing
import os

bind = os.environ.get("GUNICORN_BIND", f"0.0.0.0:{os.environ.get('PORT', '8000')}")
# Django views are mostly waiting on PostgreSQL: a couple of processes per core, each with a few threads.
workers = int(os.environ.get("WEB_CONCURRENCY", multiprocessing.cpu_count() * 2 + 1))
threads = int(os.environ.get("GUNICORN_THREADS", "2"))
worker_class = "gthread"
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "30"))
graceful_timeout = 30
# No keep-alive by default: a gthread worker accepts every connection it is offered, up to
# worker_connections, and keeps serving a kept-alive one; under a steady load one worker took all 32
# connections of the load test and the other sat idle (3.7 s against 0.01 s of CPU in 15 s, page cache
# off), so the two cores served as one. Closed after each answer, connections are accepted again by
# whichever worker is free: both busy (2.7 s and 2.8 s), 31 % more answers a second on the same loaded
# machine. A proxy in front that keeps connections to the server open can ask for it back.
keepalive = int(os.environ.get("GUNICORN_KEEPALIVE", "0"))
# Recycle workers now and then so that a slow leak never becomes an outage; rarely, since a restart
# costs a worker about a second: every 2,000 requests halved the load test's cached-page throughput
# and sent its p99 over a second (docs/performance.md, « Load test »).
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", "50000"))
max_requests_jitter = 5000
# Trust X-Forwarded-* from the load balancer only (set to its address, or * inside a private network).
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")
accesslog = os.environ.get("GUNICORN_ACCESS_LOG", "-")
access_log_format = (
    '{"time":"%(t)s","method":"%(m)s","path":"%(U)s","status":%(s)s,"bytes":%(B)s,"ms":%(M)s,"ua":"%(a)s"}'
)
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "info")
