"""Find a region, department or commune from what people type or paste from a spreadsheet.

A code or a name, ignoring case, accents, hyphens and apostrophes: "93", "2a", "seine saint denis",
"Villeneuve d'Ascq", "Saint-Denis (93)", "93066". An unknown or ambiguous value raises
TerritoryLookupError with a French message and suggestions: never a silent guess.

The rules are written once, in resolve(). They read candidates through a source: the database for
find_region/find_department/find_commune (forms, filters: a few indexed queries), or memory for
TerritoryIndex (bulk imports: no query per row). Both sources answer the same three questions, so the
two ways of looking up can never disagree.
"""

import re
from collections.abc import Callable
from dataclasses import dataclass
from difflib import SequenceMatcher

from django.db.models import Q
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from lib.text import fold

from .models import Commune, Department, Region

MAX_SUGGESTIONS = 5
# Words too common in commune names to narrow the suggestions for a misspelt one.
COMMON_WORDS = {"saint", "sainte", "sur", "les", "des", "aux", "sous", "lez", "en", "le", "la", "de", "du"}


class TerritoryLookupError(ValueError):
    def __init__(self, message, suggestions=()):
        super().__init__(message)
        self.message = message
        self.suggestions = list(suggestions)


# --- Codes -------------------------------------------------------------------------------------------
def region_codes(raw):
    return (raw.zfill(2),) if re.fullmatch(r"\d{1,2}", raw) else None


def department_codes(raw):
    code = raw.upper()
    if code == "20":  # Corsica before its 1976 split, still found in spreadsheets
        return ("2A", "2B")
    if re.fullmatch(r"\d", code):
        return (code.zfill(2),)
    return (code,) if re.fullmatch(r"\d{2,3}|2[AB]", code) else None


def commune_codes(raw):
    code = raw.upper()
    if re.fullmatch(r"\d{4}", code):  # a spreadsheet dropped the leading zero of 01001
        return (code.zfill(5),)
    return (code,) if re.fullmatch(r"\d{5}|2[AB]\d{3}", code) else None


# --- Kinds -------------------------------------------------------------------------------------------
@dataclass(frozen=True, eq=False)
class Kind:
    codes: Callable  # raw text -> tuple of codes, or None when it does not look like a code
    qualifies: Callable  # (territory, qualifier text) -> bool, for "Name (qualifier)" and "code Name"
    empty_message: str
    ambiguous_message: str


def _qualifies_by_code(codes):
    return lambda territory, qualifier: territory.code in (codes(qualifier) or ())


def _qualifies_commune(commune, qualifier):
    return (
        commune.department_id in (department_codes(qualifier) or ())
        or commune.department.search_name == fold(qualifier)
        or commune.code in (commune_codes(qualifier) or ())
    )


REGION = Kind(
    codes=region_codes,
    qualifies=_qualifies_by_code(region_codes),
    empty_message=gettext_noop("Indiquez une région."),
    ambiguous_message=gettext_noop(
        "« %(value)s » désigne plusieurs régions : %(candidates)s ; indiquez le code, "
        "par exemple « %(example)s »."
    ),
)
DEPARTMENT = Kind(
    codes=department_codes,
    qualifies=_qualifies_by_code(department_codes),
    empty_message=gettext_noop("Indiquez un département."),
    ambiguous_message=gettext_noop(
        "« %(value)s » désigne plusieurs départements : %(candidates)s ; indiquez le code, "
        "par exemple « %(example)s »."
    ),
)
COMMUNE = Kind(
    codes=commune_codes,
    qualifies=_qualifies_commune,
    empty_message=gettext_noop("Indiquez une commune."),
    ambiguous_message=gettext_noop(
        "« %(value)s » désigne plusieurs communes : %(candidates)s ; ajoutez le département, "
        "par exemple « %(example)s »."
    ),
)


# --- The rules -------------------------------------------------------------------------------------
QUALIFIED = re.compile(r"(?P<name>.+?)\s*\((?P<qualifier>[^()]+)\)")  # "Saint-Denis (93)"
CODE_FIRST = re.compile(r"(?P<qualifier>\d[\dAB]?\d{0,3})\s*[-–]?\s*(?P<name>[^\d\s].*)", re.I)  # "93 Nord"


def resolve(value, source, kind, *, departments=()):
    """The one place that decides what a value designates; raise TerritoryLookupError otherwise.

    `departments`: codes of the departments the value goes with (a spreadsheet row's), which tell
    homonymous communes apart and come first among suggestions.
    """
    raw = _clean(value)
    if not raw:
        raise TerritoryLookupError(_(kind.empty_message))
    nearby = _Nearby(departments)
    codes = kind.codes(raw)
    if codes:
        return _single(raw, source.by_codes(codes), kind)
    if not fold(raw):  # only punctuation: nothing to compare
        return _single(raw, [], kind)
    homonyms = source.by_name(fold(raw))
    if homonyms:
        return _single(raw, nearby.narrow(homonyms), kind)
    match = QUALIFIED.fullmatch(raw) or CODE_FIRST.fullmatch(raw)
    if not match:
        suggestions = nearby.first(suggest(fold(raw), source.pool(fold(raw))))
        return _single(raw, [], kind, suggestions=suggestions)
    name, qualifier = fold(match["name"]), match["qualifier"].strip()
    homonyms = source.by_name(name)
    if homonyms:
        qualified = [t for t in homonyms if kind.qualifies(t, qualifier)]
        return _single(raw, qualified, kind, suggestions=nearby.first(homonyms))
    # A misspelt name with a qualifier: suggest the close names that match the qualifier, if any do.
    suggestions = nearby.first(suggest(name, source.pool(name)))
    qualified = [t for t in suggestions if kind.qualifies(t, qualifier)]
    return _single(raw, [], kind, suggestions=qualified or suggestions)


class _Nearby:
    """The communes of given departments: those a bare name means when it is ambiguous elsewhere."""

    def __init__(self, departments):
        self.departments = set(departments)

    def narrow(self, candidates):
        """The candidates in the departments, if any is; all of them otherwise."""
        near = [t for t in candidates if getattr(t, "department_id", None) in self.departments]
        return near or candidates

    def first(self, candidates):
        """The candidates, those in the departments first."""
        return sorted(candidates, key=lambda t: getattr(t, "department_id", None) not in self.departments)


def _clean(value):
    if isinstance(value, float) and value.is_integer():  # 93.0 read from a spreadsheet cell
        value = int(value)
    return "" if value is None else " ".join(str(value).split())


def _single(raw, candidates, kind, *, suggestions=()):
    if len(candidates) == 1:
        return candidates[0]
    if candidates:
        raise _ambiguous(raw, sorted(candidates, key=lambda t: t.code), kind)
    choices = [str(t) for t in suggestions]
    if choices:
        message = _("« %(value)s » est inconnu ; vouliez-vous dire %(suggestions)s ?") % {
            "value": raw,
            "suggestions": _join_or(choices),
        }
    else:
        message = _("« %(value)s » est inconnu.") % {"value": raw}
    raise TerritoryLookupError(message, choices)


def _ambiguous(raw, candidates, kind):
    if kind is not COMMUNE:
        listed = choices = [str(t) for t in candidates]
        example, message = candidates[0].code, kind.ambiguous_message
    elif len({c.department_id for c in candidates}) > 1:
        listed = [f"{c.name} ({c.department_id}, {c.department.name})" for c in candidates]
        choices = [str(c) for c in candidates]
        example, message = choices[0], kind.ambiguous_message
    else:  # homonyms within one department: only the INSEE code tells them apart
        listed = choices = [f"{c.code} {c.name}" for c in candidates]
        example = candidates[0].code
        message = gettext_noop(
            "« %(value)s » désigne plusieurs communes du même département : %(candidates)s ; "
            "indiquez le code INSEE, par exemple « %(example)s »."
        )
    params = {"value": raw, "candidates": ", ".join(listed), "example": example}
    return TerritoryLookupError(_(message) % params, choices)


def _join_or(items):
    if len(items) == 1:
        return items[0]
    return _("%(items)s ou %(last)s") % {"items": ", ".join(items[:-1]), "last": items[-1]}


def suggest(folded, pool):
    """Close matches for an unknown name: names containing it as whole words, else the most similar."""
    by_name = {}
    for territory in sorted(pool, key=lambda t: t.code):
        by_name.setdefault(territory.search_name, []).append(territory)
    containing = sorted(name for name in by_name if f" {folded} " in f" {name} ")
    if 0 < len(containing) <= MAX_SUGGESTIONS:
        names = containing
    else:
        scored = []
        matcher = SequenceMatcher(b=folded)
        for name in by_name:
            matcher.set_seq1(name)
            if matcher.real_quick_ratio() >= 0.6 and matcher.quick_ratio() >= 0.6:
                scored.append((-matcher.ratio(), name))
        scored.sort()
        # Keep the few about as close as the best one ("Seine St Denis": 93, not Seine-et-Marne).
        names = [name for score, name in scored if -score >= 0.6 and score - scored[0][0] <= 0.15]
    return [territory for name in names for territory in by_name[name]][:MAX_SUGGESTIONS]


def pool_keys(folded):
    """What narrows the suggestion pool for a commune: its first letters, and its less common words."""
    words = [w for w in folded.split() if len(w) >= 3 and w not in COMMON_WORDS]
    return folded[:3], words


def in_pool(search_name, keys):
    prefix, words = keys
    return search_name.startswith(prefix) or any(w in search_name for w in words)


# --- Sources -----------------------------------------------------------------------------------------
class DatabaseSource:
    def __init__(self, queryset, *, narrow_pool=False):
        self.queryset = queryset
        self.narrow_pool = narrow_pool

    def by_codes(self, codes):
        return list(self.queryset.filter(pk__in=codes))

    def by_name(self, search_name):
        return list(self.queryset.filter(search_name=search_name))

    def pool(self, folded):
        if not self.narrow_pool:
            return list(self.queryset)
        keys = pool_keys(folded)
        condition = Q(search_name__startswith=keys[0])
        for word in keys[1]:
            condition |= Q(search_name__contains=word)
        return [t for t in self.queryset.filter(condition) if in_pool(t.search_name, keys)]


class MemorySource:
    def __init__(self, territories, *, narrow_pool=False):
        self.territories = territories
        self.narrow_pool = narrow_pool
        self.codes = {t.code: t for t in territories}
        self.names = {}
        for territory in territories:
            self.names.setdefault(territory.search_name, []).append(territory)

    def by_codes(self, codes):
        return [self.codes[code] for code in codes if code in self.codes]

    def by_name(self, search_name):
        return list(self.names.get(search_name, []))

    def pool(self, folded):
        if not self.narrow_pool:
            return self.territories
        keys = pool_keys(folded)
        return [t for t in self.territories if in_pool(t.search_name, keys)]


# --- Public API ------------------------------------------------------------------------------------
def find_region(value):
    """The Region designated by a code ("32", "1") or a name ("hauts de france"); at most three queries."""
    return resolve(value, DatabaseSource(Region.objects.all()), REGION)


def find_department(value):
    """The Department (with its region) designated by "93", "2a", "1", "seine saint denis"…"""
    return resolve(value, DatabaseSource(Department.objects.select_related("region")), DEPARTMENT)


def find_commune(value, departments=()):
    """The Commune (with its department and region) designated by "93066", "Villeneuve d'Ascq",
    "Saint-Denis (93)" or "Saint-Denis (La Réunion)" — or "Saint-Denis" with departments=["93"]; at
    most three queries."""
    communes = Commune.objects.select_related("department__region")
    return resolve(value, DatabaseSource(communes, narrow_pool=True), COMMUNE, departments=departments)


class TerritoryIndex:
    """Every region, department and commune in memory (two queries, and one for the 35,000 communes
    when a commune is first looked up), for resolving many values.

    Results are remembered per value, so a spreadsheet repeating a misspelt commune pays for the
    suggestions once.
    """

    def __init__(self):
        regions = list(Region.objects.all())
        regions_by_code = {r.code: r for r in regions}
        departments = list(Department.objects.all())
        for department in departments:
            department.region = regions_by_code[department.region_id]
        self.departments_by_code = {d.code: d for d in departments}
        self.sources = {REGION: MemorySource(regions), DEPARTMENT: MemorySource(departments)}
        self.results = {}

    def source(self, kind):
        if kind == COMMUNE and COMMUNE not in self.sources:
            communes = list(Commune.objects.all())
            for commune in communes:
                commune.department = self.departments_by_code[commune.department_id]
            self.sources[COMMUNE] = MemorySource(communes, narrow_pool=True)
        return self.sources[kind]

    def region(self, value):
        return self.resolve(value, REGION)

    def department(self, value):
        return self.resolve(value, DEPARTMENT)

    def commune(self, value, departments=()):
        return self.resolve(value, COMMUNE, departments)

    def resolve(self, value, kind, departments=()):
        key = (kind, type(value), value, frozenset(departments))
        if key not in self.results:
            try:
                self.results[key] = resolve(value, self.source(kind), kind, departments=departments)
            except TerritoryLookupError as error:
                self.results[key] = error
        result = self.results[key]
        if isinstance(result, TerritoryLookupError):
            raise TerritoryLookupError(result.message, result.suggestions)
        return result
