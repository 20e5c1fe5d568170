"""Measuring the public pages on a separate database of synthetic fiches (see `manage.py bench`).

Each page is asked for by the Django test client, server-side, so the figures are Django's and the
database's time without the network. The floor of a page is the SQL it ran, captured once and executed
again alone with a cursor: what no change to the Python side could go below.
"""

import contextlib
import os
import platform
import random
import statistics
import time
from dataclasses import asdict, dataclass, field
from urllib.parse import urlencode

from django.conf import settings
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import NoReverseMatch, reverse

from cooperations import stats
from cooperations.models import Cooperation
from lib.cache import fiches_changed

# The goals of the pages that people browse most: list, search and fiche, warm (fragments cached) and
# cold (the first view after a change to the directory); the other pages are held to their floor ratio.
GOAL_MEDIAN_MS = 15
GOAL_FLOOR_RATIO = 3
GOAL_COLD_MEDIAN_MS = 100
GOAL_COLD_FICHE_MS = 20
# At 100,000 fiches, no page more than this many times slower than at 10,000 (--baseline).
GOAL_GROWTH = 2
SEARCHES = ["légumerie", "garage solidaire", "rénovation énergétique", "clauses sociales", "insertion"]


@dataclass
class Page:
    key: str
    label: str
    urls: list
    goal: bool = False  # held to GOAL_MEDIAN_MS and GOAL_FLOOR_RATIO warm, measured cold
    repeat: int | None = None  # fewer rounds for slow pages
    cold_goal_ms: float = GOAL_COLD_MEDIAN_MS  # the cold median's goal, for a page with a goal
    floor_goal: bool = False  # a page without a goal held to GOAL_FLOOR_RATIO warm

    def goals(self):
        """{measure: limit} this page is held to."""
        if self.goal:
            return {
                "median_ms": GOAL_MEDIAN_MS,
                "floor_ratio": GOAL_FLOOR_RATIO,
                "cold_median_ms": self.cold_goal_ms,
                "cold_floor_ratio": GOAL_FLOOR_RATIO,
            }
        return {"floor_ratio": GOAL_FLOOR_RATIO} if self.floor_goal else {}


@dataclass
class Result:
    key: str
    label: str
    url: str
    samples: int
    median_ms: float
    p95_ms: float
    queries: int
    queries_constant: bool
    floor_ms: float
    ratio: float
    goal: bool
    goal_met: bool | None
    cpu_ms: float = 0.0
    cold_median_ms: float = 0.0
    cold_queries: int = 0
    cold_floor_ms: float = 0.0
    cold_ratio: float = 0.0
    cold_goal_met: bool | None = None
    goals: dict = field(default_factory=dict)
    notes: list = field(default_factory=list)

    def as_dict(self):
        return asdict(self)


DEFAULT_FICHES = 10_000


def bench_database_name(settings_dict, fiches=DEFAULT_FICHES):
    """The database the benchmark builds and reuses beside the configured one: `<name>_bench` for the
    default 10,000 fiches, `<name>_bench100k` for 100,000, so that each size is built once."""
    suffix = "bench" if fiches == DEFAULT_FICHES else f"bench{size_label(fiches)}"
    return f"{settings_dict['NAME']}_{suffix}"


def size_label(fiches):
    """100000 -> "100k", 2500 -> "2500"."""
    return f"{fiches // 1000}k" if fiches % 1000 == 0 else str(fiches)


def use_bench_database(*, fiches=DEFAULT_FICHES, rebuild=False):
    """Switch the default connection to the bench database, created and migrated if needed."""
    settings_dict = connection.settings_dict
    name = bench_database_name(settings_dict, fiches)
    settings_dict.setdefault("TEST", {})["NAME"] = name
    connection.creation.create_test_db(verbosity=0, autoclobber=True, serialize=False, keepdb=not rebuild)
    return name


def pages(*, rng=None):
    """The pages to measure, each with a few addresses to rotate over so that no single row is hot."""
    rng = rng or random.Random(1)
    published = Cooperation.objects.published()
    slugs = list(published.order_by("?").values_list("slug", flat=True)[:20])
    structures = list(
        stats.structures_taking_part().order_by("?").values_list("slug", flat=True).distinct()[:20]
    )
    list_url = reverse("cooperations:list")
    filtered = []
    for fiche in published.order_by("?").prefetch_related("departments", "sectors")[:5]:
        region = fiche.departments.all()[0].region_id
        filtered.append(f"{list_url}?{urlencode({'region': region, 'sector': fiche.sectors.all()[0].slug})}")
    searches = [f"{list_url}?{urlencode({'q': q})}" for q in SEARCHES]
    fiches = [reverse("cooperations:detail", args=[slug]) for slug in slugs]
    result = [
        Page("home", "Accueil", [reverse("home")]),
        Page("list", "Liste", [list_url], goal=True),
        Page("list_filtered", "Liste, deux filtres", filtered, goal=True),
        Page("search", "Recherche plein texte", searches, goal=True),
        Page("fiche", "Fiche", fiches, goal=True, cold_goal_ms=GOAL_COLD_FICHE_MS),
        Page(
            "structure",
            "Structure",
            [reverse("structures:detail", args=[slug]) for slug in structures],
            floor_goal=True,
        ),
    ]
    # The export of every fiche, once the spreadsheet export is installed.
    with contextlib.suppress(NoReverseMatch):
        export = reverse("cooperations:export")
        result.append(Page("export", "Export CSV (toutes les fiches)", [f"{export}?format=csv"], repeat=5))
    result += api_pages(filtered, slugs)
    return result


def api_pages(filtered, slugs):
    """The API's list (plain and with the list page's two filters) and fiche, the same addresses as
    the pages'. Its rate limit must be lifted (settings.API_ANON_RATE = None) for so many requests."""
    try:
        api_list = reverse("api:cooperation-list")
    except NoReverseMatch:
        return []
    list_url = reverse("cooperations:list")
    return [
        Page("api_list", "API, liste", [api_list], floor_goal=True),
        Page(
            "api_list_filtered",
            "API, liste, deux filtres",
            [url.replace(list_url, api_list) for url in filtered],
            floor_goal=True,
        ),
        Page(
            "api_fiche",
            "API, fiche",
            [reverse("api:cooperation-detail", args=[slug]) for slug in slugs],
            floor_goal=True,
        ),
    ]


class Bench:
    def __init__(self, *, repeat=30, warmup=3, cold=10):
        self.repeat = repeat
        self.cold = cold
        self.warmup = warmup
        self.client = Client(HTTP_HOST="127.0.0.1")

    def get(self, url):
        response = self.client.get(url, secure=True)
        if response.status_code != 200:
            raise RuntimeError(f"{url} a répondu {response.status_code}")
        if getattr(response, "streaming", False):
            b"".join(response.streaming_content)
        return response

    def measure(self, page):
        # One captured request per address: its queries, and the warm-up of caches and connection.
        captured = {}
        for url in page.urls:
            for _ in range(self.warmup - 1):
                self.get(url)
            with CaptureQueriesContext(connection) as context:
                self.get(url)
            captured[url] = [query["sql"] for query in context.captured_queries]
        rounds = page.repeat or self.repeat
        urls = [page.urls[i % len(page.urls)] for i in range(max(rounds, len(page.urls)))]
        times, cpu = [], []
        for url in urls:
            start, start_cpu = time.perf_counter(), time.process_time()
            self.get(url)
            times.append(time.perf_counter() - start)
            cpu.append(time.process_time() - start_cpu)
        cold_times, cold_sql = self.measure_cold(page) if page.goal else ([], [])
        cold_floor = statistics.median(self.floor(sql) for sql in cold_sql) * 1000 if cold_sql else 0.0
        cold_median = statistics.median(cold_times) * 1000 if cold_times else 0.0
        floors = [self.floor(captured[url]) for url in urls]
        counts = {len(queries) for queries in captured.values()}
        median, floor = statistics.median(times) * 1000, statistics.median(floors) * 1000
        ratio = median / floor if floor else 0.0
        goals = page.goals()
        # A page whose SQL is all cached has no floor to compare with: only its median is held to a goal.
        met = None
        if goals:
            met = median <= goals.get("median_ms", median) and (not floor or ratio <= goals["floor_ratio"])
        cold_ratio = cold_median / cold_floor if cold_floor else 0.0
        cold_met = None
        if "cold_median_ms" in goals:
            cold_met = cold_median <= goals["cold_median_ms"] and (
                not cold_floor or cold_ratio <= goals["cold_floor_ratio"]
            )
        return Result(
            key=page.key,
            label=page.label,
            url=page.urls[0],
            samples=len(times),
            median_ms=round(median, 2),
            p95_ms=round(percentile(times, 95) * 1000, 2),
            queries=max(counts),
            queries_constant=len(counts) == 1,
            floor_ms=round(floor, 2),
            ratio=round(ratio, 2),
            goal=page.goal,
            goal_met=met,
            cpu_ms=round(statistics.median(cpu) * 1000, 2),
            cold_median_ms=round(cold_median, 2),
            cold_queries=max(map(len, cold_sql), default=0),
            cold_floor_ms=round(cold_floor, 2),
            cold_ratio=round(cold_ratio, 2),
            cold_goal_met=cold_met,
            goals=goals,
        )

    def measure_cold(self, page):
        """Seconds of the first views after a fiche is saved, and the SQL of each view: the fiche of the
        page for a fiche page, another one for the lists (as a save does, lib/cache.py forgets that
        fiche's fragments and what counts or lists fiches)."""
        times, queries = [], []
        published = list(Cooperation.objects.published().values_list("pk", flat=True)[: self.cold])
        last_parts = [url.rstrip("/").rsplit("/", 1)[-1] for url in page.urls]
        slugs = dict(Cooperation.objects.filter(slug__in=last_parts).values_list("slug", "pk"))
        for n in range(self.cold):
            url = page.urls[n % len(page.urls)]
            saved = slugs.get(url.rstrip("/").rsplit("/", 1)[-1]) or published[n % len(published)]
            fiches_changed([saved])
            with CaptureQueriesContext(connection) as context:
                start = time.perf_counter()
                self.get(url)
                times.append(time.perf_counter() - start)
            queries.append([query["sql"] for query in context.captured_queries])
        return times, queries

    def floor(self, queries):
        """Seconds to run these SQL statements alone, fetching every row (none: 0)."""
        if not queries:
            return 0.0
        with connection.cursor() as cursor:
            start = time.perf_counter()
            for sql in queries:
                cursor.execute(sql)
                if cursor.description is not None:
                    cursor.fetchall()
            return time.perf_counter() - start


def growth(results, baseline):
    """[(label, measure, before ms, after ms, ratio, met)] of each page measured in both runs: its warm
    and cold medians here against a run on a smaller directory (the JSON of `baseline`)."""
    before = {page["key"]: page for page in baseline["pages"]}
    rows = []
    for result in results:
        if result.key not in before:
            continue
        for measure in ("median_ms", "cold_median_ms"):
            old, new = before[result.key].get(measure) or 0, getattr(result, measure)
            if old and new:
                rows.append((result.label, measure, old, new, new / old, new / old <= GOAL_GROWTH))
    return rows


def percentile(values, percent):
    """The nearest-rank percentile: the smallest value at or above `percent` % of the samples."""
    ordered = sorted(values)
    rank = max(1, -(-len(ordered) * percent // 100))
    return ordered[int(rank) - 1]


def machine():
    """What the figures were measured on."""
    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        database = cursor.fetchone()[0]
    memory = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    return {
        "cpus": os.cpu_count(),
        "memory_gib": round(memory, 1),
        "python": platform.python_version(),
        "database": f"PostgreSQL {database}",
        "debug": settings.DEBUG,
        "cache": settings.CACHES["default"]["BACKEND"].rsplit(".", 1)[-1],
    }
