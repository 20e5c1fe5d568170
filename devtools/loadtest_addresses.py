"""The addresses of the load test (make loadtest): what visitors of the directory ask for.

Fiche pages, the list with the filters people tick (region, department, level, form, kind of structure,
sector, years, sort, page) and searches drawn from the queries a director of an SIAE types
(loadtest/queries.txt), alone or with a filter. Most filter combinations describe one fiche of the
directory by a few of its own values, so that they find something, as a visitor looking for a kind of
cooperation does; a few take any value of the reference tables, and may find nothing (the list then
says so, still with a 200).

The addresses come ranked by popularity: the load test asks for the n-th with a weight of 1/n^s (Zipf),
the unfiltered list first. Everything is drawn from one seeded generator over rows read in a fixed
order, so the same database gives the same addresses every run.
"""

import math
import random
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlencode

from django.http import QueryDict
from django.urls import reverse

from cooperations.filters import CooperationFilter
from cooperations.models import Cooperation, CooperationForm, Level
from cooperations.views import PAGE_SIZE
from structures.models import Sector, Structure
from territories.models import Department

DEFAULT_COUNT = 2000
KINDS = ("fiche", "list", "search")
# The share of each kind among the addresses (the list gets whatever the others leave).
SHARES = {"fiche": 0.45, "search": 0.25}
# The list's parameters in the order its form writes them: one selection, one address.
ORDER = ("q", "region", "department", "level", "form", "structure_kind", "kinds", "sector")
ORDER += ("year_min", "year_max", "sort", "page")


@dataclass(frozen=True)
class Address:
    kind: str  # "fiche", "list" or "search"
    url: str


@dataclass
class Fiche:
    slug: str
    level: str
    start_year: int | None
    places: list  # (region, department)
    forms: list
    sectors: list
    kinds: list


def read_queries(path):
    """The queries of a file, one a line, as typed; blank lines and lines starting with # left out."""
    lines = Path(path).read_text(encoding="utf-8").splitlines()
    return [line.strip() for line in lines if line.strip() and not line.startswith("#")]


def read_directory():
    """The published fiches with the values a filter can name, in the order of their ids."""
    published = Cooperation.objects.published()
    fiches = {
        pk: Fiche(slug, level, year, [], [], [], [])
        for pk, slug, level, year in published.order_by("pk").values_list("pk", "slug", "level", "start_year")
    }
    links = [
        ("places", ("departments__region_id", "departments__code")),
        ("forms", ("forms__code",)),
        ("sectors", ("sectors__slug",)),
        ("kinds", ("participations__structure__kind",)),
    ]
    for attribute, fields in links:
        rows = published.filter(**{f"{fields[-1]}__isnull": False}).values_list("pk", *fields)
        for pk, *values in rows.order_by("pk", *fields).distinct():
            getattr(fiches[pk], attribute).append(tuple(values) if len(values) > 1 else values[0])
    return list(fiches.values())


class Generator:
    def __init__(self, *, queries, seed=17):
        self.rng = random.Random(seed)
        self.queries = list(queries)
        self.fiches = read_directory()
        self.list_url = reverse("cooperations:list")
        self.reference = {
            "places": list(Department.objects.order_by("code").values_list("region_id", "code")),
            "forms": list(CooperationForm.objects.order_by("code").values_list("code", flat=True)),
            "sectors": list(Sector.objects.order_by("slug").values_list("slug", flat=True)),
            "kinds": list(Structure.Kind.values),
        }
        self.counts = {}

    def addresses(self, count=DEFAULT_COUNT):
        """`count` distinct addresses, the most popular first."""
        rng = self.rng
        wanted = {kind: round(count * share) for kind, share in SHARES.items()}
        chosen = {}  # url -> Address, in the order found

        def add(kind, url):
            if url not in chosen:
                chosen[url] = Address(kind, url)

        add("list", self.list_url)
        for fiche in rng.sample(self.fiches, min(wanted["fiche"], len(self.fiches))):
            add("fiche", reverse("cooperations:detail", args=[fiche.slug]))
        searches = [self.query_address(query) for query in self.queries]
        for url in searches[: wanted["search"]]:
            add("search", url)
        for _ in range(20 * count):
            if sum(address.kind == "search" for address in chosen.values()) >= wanted["search"]:
                break
            add("search", self.query_address(rng.choice(self.queries), with_filter=True))
        for _ in range(20 * count):
            if len(chosen) >= count:
                break
            add("list", self.list_address())
        if len(chosen) < count:
            raise ValueError(f"Seulement {len(chosen)} adresses distinctes trouvées sur {count}.")
        first, *others = chosen.values()
        rng.shuffle(others)
        return [first, *others]

    # --- Searches ----------------------------------------------------------------------------------

    def query_address(self, query, *, with_filter=False):
        params = {"q": query}
        if with_filter:
            # What a director adds to a search: a place, a sector, a form, another order or the next page.
            fiche = self.rng.choice(self.fiches)
            choice = self.rng.choice(["region", "department", "sector", "form", "sort", "page"])
            if choice in ("region", "department"):
                region, department = self.rng.choice(self.values(fiche, "places"))
                params[choice] = region if choice == "region" else department
            elif choice in ("sector", "form"):
                params[choice] = self.rng.choice(self.values(fiche, f"{choice}s"))
            elif choice == "sort":
                params["sort"] = self.rng.choice(["newest", "title"])
            else:
                params = self.with_page(params)
        return self.url(params)

    # --- Filtered lists ----------------------------------------------------------------------------

    def list_address(self):
        rng = self.rng
        if rng.random() < 0.1:
            # Paging through the whole directory.
            return self.url({"page": str(min(2 + int(rng.expovariate(0.15)), self.pages({})))})
        fiche = rng.choice(self.fiches)
        described = rng.random() < 0.85  # a selection that finds this fiche, or any values at all
        params = {}
        names = ["places", "level", "forms", "kinds", "sectors", "years"]
        for name in rng.sample(names, k=rng.choice([1, 1, 2, 2, 2, 3, 4])):
            params.update(self.filter_values(name, fiche if described else None))
        if rng.random() < 0.1:
            params["sort"] = "title"
        if rng.random() < 0.2:
            params = self.with_page(params)
        return self.url(params)

    def values(self, fiche, name):
        """The fiche's own values for a filter, or any of the reference tables' (also for a fiche
        that has none)."""
        return (getattr(fiche, name) if fiche else None) or self.reference[name]

    def filter_values(self, name, fiche):
        rng = self.rng
        if name == "places":
            region, department = rng.choice(self.values(fiche, "places"))
            both = {"region": region, "department": department}
            return rng.choice([{"region": region}, {"department": department}, both])
        if name == "level":
            return {"level": fiche.level if fiche else rng.choice(Level.values)}
        if name in ("forms", "sectors"):
            values = self.values(fiche, name)
            return {name[:-1]: rng.sample(values, k=min(len(values), rng.choice([1, 1, 1, 2])))}
        if name == "kinds":
            values = self.values(fiche, "kinds")
            kinds = rng.sample(values, k=min(len(values), rng.choice([1, 1, 2])))
            every = {"kinds": "all"} if len(kinds) > 1 and rng.random() < 0.5 else {}
            return {"structure_kind": kinds, **every}
        year = (fiche.start_year if fiche else None) or rng.randint(1995, 2025)
        return rng.choice([{"year_min": year - rng.randint(0, 5)}, {"year_max": year + rng.randint(0, 5)}])

    def with_page(self, params):
        """The same selection at one of its next pages, when it has more than one."""
        pages = self.pages(params)
        if pages < 2:
            return params
        return {**params, "page": str(rng_page(self.rng, pages))}

    def pages(self, params):
        key = self.url(params)
        if key not in self.counts:
            query = QueryDict(key.partition("?")[2])
            self.counts[key] = CooperationFilter(query, queryset=Cooperation.objects.published()).qs.count()
        return max(1, math.ceil(self.counts[key] / PAGE_SIZE))

    def url(self, params):
        pairs = []
        for name in ORDER:
            value = params.get(name)
            for item in sorted(value) if isinstance(value, list) else [value]:
                if item not in (None, ""):
                    pairs.append((name, str(item)))
        return f"{self.list_url}?{urlencode(pairs)}" if pairs else self.list_url


def rng_page(rng, pages):
    """A page after the first: the second most often, rarely far."""
    return min(pages, 2 + int(rng.expovariate(0.7)))


def by_kind(addresses):
    counts = defaultdict(int)
    for address in addresses:
        counts[address.kind] += 1
    return {kind: counts[kind] for kind in KINDS}


def write(addresses, path):
    """One address a line, its kind first and a tab: `fiche<TAB>/cooperations/…/`, the most popular first."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("".join(f"{a.kind}\t{a.url}\n" for a in addresses), encoding="utf-8")
    return path
