"""Hostile traffic and failing parts, replayed on 127.0.0.1 (docs/robustness.md gives the figures).

    python loadtest/hostile.py [SCENARIO ...]     # make hostile

Starts gunicorn (2 workers, production settings over plain HTTP, the page cache on) on the site's own
database, once per scenario:
- `flood-redis`: a Redis of its own capped at 64 MB with Redis's default policy (`noeviction`); four
  connections ask for the list with a new unknown parameter each time (`?utm_source=a1`, `a2`…) or a new
  search (`?q=w1`…), while one ordinary visitor reads the home page and the list;
- `flood-memory`: the same flood without Redis (each worker's own memory holds the cache);
- `redis-down`: REDIS_URL names a port where nothing listens; the pages a visitor, a proposer, an API
  client and the load balancer ask for.
Each scenario runs FLOOD_SECONDS (default 20) and prints the requests, the answers that were not 2xx or
3xx (the visitor's apart), p50 and p99 in ms, the workers' memory (RSS) before and after and Redis's
`used_memory`. Exits 1 when an answer was a 5xx. HOSTILE_CODE runs another checkout of the code (to
measure before a change) on the same database. Standard library and redis-py only.
"""

import http.client
import itertools
import json
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import redis

ROOT = Path(__file__).resolve().parent.parent
CODE = Path(os.environ.get("HOSTILE_CODE", ROOT))
BIN = Path(os.environ.get("BIN", ROOT / ".venv" / "bin")).resolve()
PORT = int(os.environ.get("HOSTILE_PORT", "8410"))
REDIS_PORT = int(os.environ.get("HOSTILE_REDIS_PORT", "6391"))
DEAD_PORT = int(os.environ.get("HOSTILE_DEAD_PORT", "6399"))
SECONDS = float(os.environ.get("FLOOD_SECONDS", "20"))
MAX_REQUESTS = int(os.environ.get("FLOOD_MAX_REQUESTS", "50000"))
FLOODERS = 4
VISITOR_PAGES = ["/", "/cooperations/", "/cooperations/?level=renforcee", "/structures/"]
OUTAGE_PAGES = [
    "/healthz",
    "/",
    "/cooperations/",
    "/cooperations/?q=insertion",
    "/connexion/",
    "/proposer/",
    "/alertes/suivre/",
    "/api/v1/cooperations/",
    "/api/v1/regions/",
]


def main(names):
    scenarios = {"flood-redis": flood_redis, "flood-memory": flood_memory, "redis-down": redis_down}
    results = {}
    for name in names or scenarios:
        print(f"--- {name}", flush=True)
        results[name] = scenarios[name]()
        print(json.dumps(results[name], indent=2, ensure_ascii=False), flush=True)
    failed = any(result["server_errors"] for result in results.values())
    return 1 if failed else 0


# --- Scenarios ------------------------------------------------------------------------------------
def flood_redis():
    with RedisServer(REDIS_PORT, maxmemory="64mb") as store, Server(f"redis://127.0.0.1:{REDIS_PORT}/0") as s:
        before = s.memory(), store.used_memory()
        result = flood(s)
        result["redis_used_memory_mb"] = [round(before[1] / 2**20, 1), round(store.used_memory() / 2**20, 1)]
        result["workers_rss_mb"] = [before[0], s.memory()]
        return result


def flood_memory():
    with Server("") as server:
        before = server.memory()
        result = flood(server)
        result["workers_rss_mb"] = [before, server.memory()]
        return result


def redis_down():
    with Server(f"redis://127.0.0.1:{DEAD_PORT}/0"):
        pages = itertools.cycle(OUTAGE_PAGES)
        lock = threading.Lock()

        def next_page():
            with lock:
                return next(pages)

        stats = run_clients([next_page] * FLOODERS, SECONDS)
        by_page = {}
        for path in OUTAGE_PAGES:
            by_page[path] = fetch(path)[0]
        stats["status_by_page"] = by_page
        stats["healthz"] = fetch("/healthz")[1][:300]
        return stats


def flood(server):
    counter = itertools.count(1)
    lock = threading.Lock()

    def hostile():
        with lock:
            n = next(counter)
        return f"/cooperations/?utm_source=a{n}" if n % 2 else f"/cooperations/?q=w{n}"

    visitor_pages = itertools.cycle(VISITOR_PAGES)
    clients = [hostile] * FLOODERS + [lambda: next(visitor_pages)]
    return run_clients(clients, SECONDS, visitor=FLOODERS)


# --- Load -----------------------------------------------------------------------------------------
def run_clients(clients, seconds, visitor=None):
    """Each client (a function giving the next path) in its own thread on one kept-alive connection."""
    records = [[] for _ in clients]  # (status, ms)
    deadline = time.monotonic() + seconds
    budget = itertools.count()

    def work(index, next_path):
        connection = None
        while time.monotonic() < deadline and next(budget) < MAX_REQUESTS:
            path = next_path()
            started = time.perf_counter()
            try:
                connection = connection or http.client.HTTPConnection("127.0.0.1", PORT, timeout=30)
                connection.request("GET", path)
                response = connection.getresponse()
                response.read()
                status = response.status
                if response.getheader("Connection", "").lower() == "close":
                    connection.close()
                    connection = None
            except (OSError, http.client.HTTPException):
                status = 0
                connection = None
            records[index].append((status, (time.perf_counter() - started) * 1000))

    threads = [threading.Thread(target=work, args=item) for item in enumerate(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    every = [record for group in records for record in group]
    result = summary(every, seconds)
    if visitor is not None:
        result["visitor"] = summary(records[visitor], seconds)
    return result


def summary(records, seconds):
    times = sorted(ms for _status, ms in records)

    def percentile(p):
        return round(times[min(len(times) - 1, int(len(times) * p))], 1) if times else None

    failed = [status for status, _ms in records if not 200 <= status < 400]
    return {
        "requests": len(records),
        "per_second": round(len(records) / seconds, 1),
        "errors": len(failed),
        "server_errors": sum(1 for status in failed if status >= 500 or status == 0),
        "p50_ms": percentile(0.5),
        "p99_ms": percentile(0.99),
    }


def fetch(path):
    connection = http.client.HTTPConnection("127.0.0.1", PORT, timeout=30)
    connection.request("GET", path)
    response = connection.getresponse()
    body = response.read().decode("utf-8", "replace")
    connection.close()
    return response.status, body


# --- Processes ------------------------------------------------------------------------------------
class Server:
    """gunicorn, 2 workers, DEBUG off, the page cache on for 300 s."""

    def __init__(self, redis_url):
        self.env = {
            **os.environ,
            "DJANGO_DEBUG": "0",
            "DJANGO_HTTPS": "0",
            "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
            "DJANGO_LOG_LEVEL": "ERROR",
            "DJANGO_SECRET_KEY": "local-hostile-test-not-for-the-internet-0123456789abcdefghijkl",
            "REDIS_URL": redis_url,
            "PAGE_CACHE_SECONDS": "300",
            "WEB_CONCURRENCY": "2",
            "GUNICORN_BIND": f"127.0.0.1:{PORT}",
            "GUNICORN_ACCESS_LOG": "/dev/null",
            "GUNICORN_LOG_LEVEL": "warning",
        }
        self.log_path = ROOT / "var" / "hostile-gunicorn.log"

    def __enter__(self):
        self.log = self.log_path.open("a")
        command = [str(BIN / "gunicorn"), "-c", "config/gunicorn.conf.py", "config.wsgi"]
        self.process = subprocess.Popen(command, cwd=CODE, env=self.env, stdout=self.log, stderr=self.log)
        for _ in range(150):
            if self.process.poll() is not None:
                break
            try:
                fetch("/robots.txt")
                for path in VISITOR_PAGES:  # warm each worker's imports and connection
                    fetch(path)
                return self
            except OSError:
                time.sleep(0.2)
        self.__exit__()
        raise SystemExit(f"gunicorn ne répond pas : voir {self.log_path}.")

    def __exit__(self, *exc):
        self.process.terminate()
        self.process.wait(timeout=60)
        self.log.close()

    def memory(self):
        """The workers' resident memory, in MB."""
        pid = self.process.pid
        total = 0
        for child in Path(f"/proc/{pid}/task/{pid}/children").read_text().split():
            for line in Path(f"/proc/{child}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total += int(line.split()[1])
        return round(total / 1024, 1)


class RedisServer:
    def __init__(self, port, maxmemory):
        self.port, self.maxmemory = port, maxmemory

    def __enter__(self):
        self.dir = tempfile.mkdtemp(prefix="hostile-redis-")
        command = [
            shutil.which("redis-server") or "redis-server",
            *("--port", str(self.port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"),
            *("--maxmemory", self.maxmemory, "--maxmemory-policy", "noeviction", "--dir", self.dir),
        ]
        self.process = subprocess.Popen(command, stdout=subprocess.DEVNULL)
        self.client = redis.Redis(port=self.port)
        for _ in range(50):
            try:
                self.client.ping()
                return self
            except redis.ConnectionError:
                time.sleep(0.1)
        raise SystemExit("redis-server ne démarre pas.")

    def __exit__(self, *exc):
        self.process.terminate()
        self.process.wait(timeout=30)
        shutil.rmtree(self.dir, ignore_errors=True)

    def used_memory(self):
        return self.client.info("memory")["used_memory"]


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
