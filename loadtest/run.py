"""The load test's runs, after loadtest/run.sh has prepared the database and the addresses.

    python loadtest/run.py URLS_FILE

Starts gunicorn (2 workers) on the Redis cache (its own database number, emptied first), then:
1. /healthz under the same load as the pages: the server's ceiling (a request that does nothing);
2. every address once, four at a time, in order of popularity: each must answer 200. This fills the
   caches as a site in use has them (at 300 requests a second, even the least popular address is asked
   for again within the page cache's five minutes; docs/performance.md counts what expiry costs);
3. with the page cache on: every address by popularity (wrk, loadtest/zipf.lua), then each kind alone;
4. gunicorn restarted with the page cache off (PAGE_CACHE_SECONDS=0): the same runs.
Each run gives requests per second, latency percentiles, errors (any answer but 2xx), its ratio to
/healthz, the pages computed for the page cache (its misses), and the CPU time of gunicorn, of wrk
and of the whole machine (other programs share it), with the load average. Prints a table and the
goals as « atteint » or « manqué », writes var/loadtest.json; exits 1 when a goal is missed, 2 when
an address does not answer 200.
Standard library and redis-py only, run by the project's Python; settings from the environment.
"""

import http.client
import json
import os
import platform
import resource
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import urlsplit

import redis
from report import goals, line, report

ROOT = Path(__file__).resolve().parent.parent
VAR = ROOT / "var"
BIN = Path(os.environ.get("BIN", ".venv/bin"))
PORT = int(os.environ.get("LOADTEST_PORT", "8400"))
DURATION = os.environ.get("LOADTEST_DURATION", "20s")
KIND_DURATION = os.environ.get("LOADTEST_KIND_DURATION", "10s")
CONNECTIONS = int(os.environ.get("LOADTEST_CONNECTIONS", "32"))
WRK_THREADS = int(os.environ.get("LOADTEST_WRK_THREADS", "1"))
EXPONENT = float(os.environ.get("LOADTEST_EXPONENT", "1.0"))
SEED = int(os.environ.get("LOADTEST_SEED", "17"))
REDIS_URL = os.environ.get("LOADTEST_REDIS_URL", "redis://127.0.0.1:6379/12")
# Longer than production's 300 s, so that no page computed by the first pass expires during the runs
# that follow it on a slow machine: the runs measure a cache holding every address (see run.sh).
PAGE_CACHE_SECONDS = os.environ.get("LOADTEST_PAGE_CACHE_SECONDS", "900")
KINDS = {"fiche": "fiches", "list": "listes", "search": "recherches"}
CLOCK_TICKS = os.sysconf("SC_CLK_TCK")
DATABASE_NAME = urlsplit(os.environ.get("DATABASE_URL", "")).path.lstrip("/")


def main(urls_file):
    urls_file = Path(urls_file)
    addresses = [line.split("\t", 1) for line in urls_file.read_text(encoding="utf-8").splitlines() if line]
    healthz_file = VAR / "loadtest-healthz.txt"
    healthz_file.write_text("healthz\t/healthz\n", encoding="utf-8")
    flush_redis(REDIS_URL)
    result = {
        "date": datetime.now(UTC).isoformat(timespec="seconds"),
        "machine": machine(),
        "settings": {
            "addresses": len(addresses),
            "connections": CONNECTIONS,
            "wrk_threads": WRK_THREADS,
            "duration": DURATION,
            "kind_duration": KIND_DURATION,
            "zipf_exponent": EXPONENT,
            "seed": SEED,
            "gunicorn_workers": 2,
            "gunicorn_threads": int(os.environ.get("GUNICORN_THREADS", "2")),
            "gunicorn_max_requests": int(os.environ.get("GUNICORN_MAX_REQUESTS", "50000")),
            "redis_url": REDIS_URL,
            "page_cache_seconds": int(PAGE_CACHE_SECONDS),
        },
        "runs": {},
    }
    print(
        f"Essai de charge : {len(addresses)} adresses, {CONNECTIONS} connexions, wrk -t{WRK_THREADS}, "
        f"{DURATION} par essai ({KIND_DURATION} par sorte de page), popularité de Zipf s = {EXPONENT}."
    )
    with Server(page_cache_seconds=PAGE_CACHE_SECONDS) as server:
        load(server, "settle", healthz_file, "all", "3s", record=False)
        ceiling = load(server, "/healthz (plafond du serveur)", healthz_file, "all", DURATION)
        result["runs"]["healthz"] = ceiling
        result["warmup"] = warm_up(addresses)
        if result["warmup"]["failed"]:
            write(result)
            print(f"{len(result['warmup']['failed'])} adresses ne répondent pas 200, par exemple :")
            print("\n".join(result["warmup"]["failed"][:20]))
            return 2
        measure(server, result, "cache_on", "Cache des pages actif", urls_file)
    with Server(page_cache_seconds="0") as server:
        load(server, "settle", urls_file, "all", "3s", record=False)
        measure(server, result, "cache_off", "Cache des pages coupé", urls_file)
    result["goals"] = goals(result["runs"])
    write(result)
    report(result, VAR)
    return 0 if all(goal["met"] for goal in result["goals"].values()) else 1


def measure(server, result, key, label, urls_file):
    result["runs"][key] = load(server, f"{label}, toutes les pages", urls_file, "all", DURATION)
    for kind, name in KINDS.items():
        result["runs"][f"{key}_{kind}"] = load(
            server, f"{label}, {name} seules", urls_file, kind, KIND_DURATION
        )


# --- The server ------------------------------------------------------------------------------------


class Server:
    """gunicorn with 2 workers, its output appended to var/loadtest-gunicorn.log."""

    def __init__(self, *, page_cache_seconds):
        self.env = {
            **os.environ,
            "REDIS_URL": REDIS_URL,
            "PAGE_CACHE_SECONDS": page_cache_seconds,
            "WEB_CONCURRENCY": "2",
            "GUNICORN_BIND": f"127.0.0.1:{PORT}",
            "GUNICORN_ACCESS_LOG": "/dev/null",
        }
        self.log_path = VAR / "loadtest-gunicorn.log"

    def __enter__(self):
        self.log = self.log_path.open("a")
        command = [str(BIN / "gunicorn"), "-c", "config/gunicorn.conf.py", "config.wsgi"]
        self.process = subprocess.Popen(command, cwd=ROOT, env=self.env, stdout=self.log, stderr=self.log)
        for _ in range(100):
            if self.process.poll() is not None:
                break
            try:
                if get("/healthz")[0] == 200:
                    return self
            except OSError:
                pass
            time.sleep(0.2)
        self.__exit__()
        raise SystemExit(f"gunicorn ne répond pas : voir {self.log_path}.")

    def __exit__(self, *exc):
        self.process.terminate()
        self.process.wait(timeout=60)
        self.log.close()

    def cpu_seconds(self):
        """CPU time of the master and its workers, including the workers already replaced
        (max_requests): the master's children's time counts them once it has waited for them."""
        pid = self.process.pid
        total = process_ticks(pid, children=True)
        for child in Path(f"/proc/{pid}/task/{pid}/children").read_text().split():
            total += process_ticks(int(child))
        return total / CLOCK_TICKS

    def workers_booted(self):
        return self.log_path.read_text(errors="replace").count("Booting worker")


def process_ticks(pid, *, children=False):
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except FileNotFoundError:  # a worker that has just exited
        return 0
    # utime, stime, cutime, cstime: fields 14 to 17 of proc(5), counted after the command's name.
    utime, stime, cutime, cstime = (int(value) for value in fields[11:15])
    return utime + stime + (cutime + cstime if children else 0)


def database_backends():
    """CPU ticks of each PostgreSQL backend connected to the load test's database, by process id."""
    ticks = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            command = (entry / "cmdline").read_bytes()
        except OSError:
            continue
        if command.startswith(b"postgres: ") and f" {DATABASE_NAME} ".encode() in command:
            ticks[int(entry.name)] = process_ticks(int(entry.name))
    return ticks


def machine_busy_seconds():
    values = [int(value) for value in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    idle = values[3] + values[4]  # idle and iowait
    return (sum(values[:8]) - idle) / CLOCK_TICKS


def get(path, connection=None):
    """The status of a GET, and the connection, kept open for the next one."""
    connection = connection or http.client.HTTPConnection("127.0.0.1", PORT, timeout=60)
    connection.request("GET", path)
    response = connection.getresponse()
    response.read()
    return response.status, connection


# --- The runs --------------------------------------------------------------------------------------


def load(server, label, urls_file, kind, duration, *, record=True):
    """One wrk run; its figures, with the CPU time spent meanwhile."""
    output = VAR / "loadtest-run.json"
    command = ["wrk", f"-t{WRK_THREADS}", f"-c{CONNECTIONS}", f"-d{duration}", "--timeout", "10s"]
    command += ["-s", str(ROOT / "loadtest" / "zipf.lua"), f"http://127.0.0.1:{PORT}"]
    command += ["--", str(urls_file), kind, str(EXPONENT), str(SEED), str(output)]
    before = snapshot(server)
    subprocess.run(command, cwd=ROOT, check=True, stdout=subprocess.DEVNULL)
    after = snapshot(server)
    if not record:
        return None
    run = json.loads(output.read_text())
    requests = run["requests"] or 1
    # A connection closed during the run (CONN_MAX_AGE) takes its time with it: a lower bound.
    postgresql = sum(ticks - before["postgresql"].get(pid, 0) for pid, ticks in after["postgresql"].items())
    postgresql /= CLOCK_TICKS
    run.update(
        label=label,
        kind=kind,
        errors=run["non_2xx"] + run["socket_errors"],
        load_average=[before["load"], after["load"]],
        cpu={
            "gunicorn_seconds": round(after["gunicorn"] - before["gunicorn"], 2),
            "gunicorn_ms_per_request": round((after["gunicorn"] - before["gunicorn"]) * 1000 / requests, 2),
            "postgresql_ms_per_request": round(postgresql * 1000 / requests, 2),
            "wrk_seconds": round(after["wrk"] - before["wrk"], 2),
            "machine_busy_seconds": round(after["machine"] - before["machine"], 2),
            "machine_seconds": round((after["time"] - before["time"]) * (os.cpu_count() or 1), 2),
        },
        workers_booted=after["booted"] - before["booted"],
        pages_computed=after["pages"] - before["pages"],
    )
    print(line(run), flush=True)
    return run


def snapshot(server):
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return {
        "time": time.monotonic(),
        "load": round(os.getloadavg()[0], 2),
        "gunicorn": server.cpu_seconds(),
        "wrk": children.ru_utime + children.ru_stime,
        "machine": machine_busy_seconds(),
        "postgresql": database_backends(),
        "booted": server.workers_booted(),
        "pages": cached_pages(),
    }


def warm_up(addresses, *, concurrency=4):
    """Ask for every address once, most popular first, as many at a time as gunicorn has threads;
    note those not answering 200, and the mean time of each kind (pages computed, caches empty)."""
    start = time.perf_counter()

    def ask(chunk):
        connection, failed, times = None, [], {kind: [] for kind in KINDS}
        for kind, url in chunk:
            began = time.perf_counter()
            try:
                status, connection = get(url, connection)
            except (OSError, http.client.HTTPException) as error:
                status, connection = type(error).__name__, None
            times[kind].append(time.perf_counter() - began)
            if status != 200:
                failed.append(f"{status} {url}")
        return failed, times

    with ThreadPoolExecutor(concurrency) as pool:
        outcomes = list(pool.map(ask, [addresses[i::concurrency] for i in range(concurrency)]))
    failed = [item for outcome in outcomes for item in outcome[0]]
    means = {}
    for kind in KINDS:
        times = [t for outcome in outcomes for t in outcome[1][kind]]
        means[kind] = round(sum(times) / len(times) * 1000, 1) if times else None
    seconds = time.perf_counter() - start
    print(
        f"Premier passage sur les {len(addresses)} adresses ({concurrency} à la fois, pages calculées) : "
        f"{seconds:.0f} s ; en moyenne {means['fiche']} ms par fiche, {means['list']} ms par liste, "
        f"{means['search']} ms par recherche ; {len(failed)} hors 200 ; charge {os.getloadavg()[0]:.1f}.",
        flush=True,
    )
    return {
        "seconds": round(seconds, 1),
        "concurrency": concurrency,
        "mean_ms": means,
        "pages_cached": cached_pages(),
        "failed": failed,
    }


def machine():
    memory = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    wrk = subprocess.run(["wrk", "--version"], capture_output=True, text=True).stdout.split("\n", 1)[0]
    return {
        "cpus": os.cpu_count(),
        "memory_gib": round(memory, 1),
        "python": platform.python_version(),
        "wrk": wrk.strip(),
        "load_average_at_start": [round(value, 2) for value in os.getloadavg()],
    }


def flush_redis(url):
    """Empty the load test's own Redis database (the page cache and the counts of earlier runs)."""
    redis.Redis.from_url(url).flushdb()


def cached_pages():
    """The pages in the page cache (lib/page_cache.py's keys); each new one was a miss."""
    return sum(1 for _ in redis.Redis.from_url(REDIS_URL).scan_iter(match="*:page:*", count=1000))


def write(result):
    (VAR / "loadtest.json").write_text(
        json.dumps(result, ensure_ascii=False, indent=2) + "\n", encoding="utf-8"
    )


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
