"""How well the search answers what directors type: the relevance set of fixtures/search/relevance.yaml
run on the list, as a visitor would (the list's FilterSet, relevance order, first page).

Three figures: recall@10 (the share of the expected fiches found among the first ten, over every
expectation of the set), the share of the « first » expectations met, and the share of the « top3 »
ones; and each miss, with what came instead.
"""

from dataclasses import dataclass, field
from pathlib import Path

import yaml
from django.conf import settings
from django.http import QueryDict

from .filters import CooperationFilter
from .models import Cooperation

RELEVANCE_SET = Path(settings.BASE_DIR) / "fixtures" / "search" / "relevance.yaml"
KEYS = {"query", "kind", "filters", "first", "top3", "top10"}


class RelevanceSetError(ValueError):
    pass


@dataclass
class Case:
    query: str
    kind: str
    filters: dict
    first: str | None
    top3: list
    top10: list

    @property
    def expected(self):
        """Every fiche that must be among the first ten."""
        return list(dict.fromkeys([*filter(None, [self.first]), *self.top3, *self.top10]))


@dataclass
class Outcome:
    case: Case
    found: list  # titles, in order
    misses: list = field(default_factory=list)  # French sentences


@dataclass
class Report:
    outcomes: list

    def _share(self, hits, total):
        return hits / total if total else 1.0

    @property
    def recall_at_10(self):
        expected = [(o, title) for o in self.outcomes for title in o.case.expected]
        return self._share(sum(title in o.found[:10] for o, title in expected), len(expected))

    @property
    def first_share(self):
        cases = [o for o in self.outcomes if o.case.first]
        return self._share(sum(o.found[:1] == [o.case.first] for o in cases), len(cases))

    @property
    def top3_share(self):
        expected = [(o, title) for o in self.outcomes for title in o.case.top3]
        return self._share(sum(title in o.found[:3] for o, title in expected), len(expected))

    @property
    def misses(self):
        return [o for o in self.outcomes if o.misses]


def read_cases(path=RELEVANCE_SET):
    with open(path, encoding="utf-8") as handle:
        entries = yaml.safe_load(handle) or []
    cases = []
    for number, entry in enumerate(entries, 1):
        unknown = set(entry) - KEYS
        if unknown or not entry.get("query"):
            raise RelevanceSetError(f"entrée {number} : clés inconnues {sorted(unknown)} ou requête vide")
        cases.append(
            Case(
                query=entry["query"],
                kind=entry.get("kind", ""),
                filters=entry.get("filters") or {},
                first=entry.get("first"),
                top3=list(entry.get("top3") or []),
                top10=list(entry.get("top10") or []),
            )
        )
    return cases


def _resolve_titles(cases):
    """Replace each title beginning by the published fiche's full title; refuse one that names none or
    several, so that a renamed fiche cannot silently empty an expectation."""
    titles = list(Cooperation.objects.published().values_list("title", flat=True))

    def full(prefix):
        # Titles are typeset with no-break spaces (« ACTES ») that the set is written without.
        matching = [title for title in titles if _spaced(title).startswith(_spaced(prefix))]
        if len(matching) != 1:
            raise RelevanceSetError(f"« {prefix} » désigne {len(matching)} fiches publiées au lieu d'une")
        return matching[0]

    for case in cases:
        case.first = full(case.first) if case.first else None
        case.top3 = [full(prefix) for prefix in case.top3]
        case.top10 = [full(prefix) for prefix in case.top10]
    return cases


def _spaced(text):
    return " ".join(text.split())


def first_titles(query, filters=None, count=10):
    """The titles of the first `count` fiches the list shows for a search."""
    data = QueryDict(mutable=True)
    data["q"] = query
    for name, value in (filters or {}).items():
        data.setlist(name, value if isinstance(value, list) else [value])
    filterset = CooperationFilter(data, queryset=Cooperation.objects.published())
    return list(filterset.qs.values_list("title", flat=True)[:count])


def measure(cases=None):
    cases = _resolve_titles(cases if cases is not None else read_cases())
    outcomes = []
    for case in cases:
        found = first_titles(case.query, case.filters)
        outcome = Outcome(case, found)
        if case.first and found[:1] != [case.first]:
            outcome.misses.append(f"attendue en premier : {case.first}")
        outcome.misses += [f"attendue dans les 3 premières : {t}" for t in case.top3 if t not in found[:3]]
        outcome.misses += [f"attendue dans les 10 premières : {t}" for t in case.top10 if t not in found[:10]]
        outcomes.append(outcome)
    return Report(outcomes)
