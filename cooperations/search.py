"""Searching the fiches: the one entry point is `text_search(text)`, used by the list's FilterSet.

The query is read into clauses (query.py): the web-search syntax, the field's synonyms (« ensemblier »
also finds « GES »), commune names (« Roubaix » also finds the fiches of the Nord and of its EPCI).
Then, never a dead end:
1. the fiches holding every clause, when there are some (`mode` "exact");
2. else, with each word the directory does not know replaced by the closest word it does
   (vocabulary.py), the fiches holding every clause ("corrected");
3. else the fiches holding most clauses, those holding more first ("partial").
Each step that is tried costs one query (EXISTS), decided once for the whole page, so that the results
and every facet count agree.

Clauses are tsqueries on the weighted tsvector (search_index.py), ranked with ts_rank and highlighted
with ts_headline.
"""

import re
from functools import cached_property, reduce
from operator import and_, or_

from django.contrib.postgres.search import SearchHeadline, SearchQuery, SearchRank
from django.db.models import Case, F, FloatField, Func, IntegerField, Q, Value, When
from django.db.models.functions import Lower
from django.utils.html import escape
from django.utils.safestring import mark_safe

from lib.cache import digest, directory_cached
from lib.text import fold

from . import search_index
from .models import Cooperation, Participation
from .query import STOPWORDS, parse_query, singular, synonyms
from .search_index import CONFIG, refresh_search_index
from .vocabulary import communes_named, corrections, directory_words, is_known

__all__ = [
    "STOPWORDS",
    "french_order",
    "parse_query",
    "refresh_search_index",
    "singular",
    "text_search",
]

SNIPPET_WORDS = 30
# Marks around highlighted words until the text is escaped: characters no fiche contains.
START, STOP = "\ue000", "\ue001"


# --- Highlighting ----------------------------------------------------------------------------------

_MARKDOWN = re.compile(r"!?\[([^\]]*)\]\([^)]*\)|[*_`#>|]+|^\s*(?:[-+]|\d+[.)])\s+", re.MULTILINE)
_WORD = re.compile(r"\w+")


def plain(markdown_text):
    """Markdown reduced to its words, for snippets."""
    return " ".join(_MARKDOWN.sub(lambda m: m.group(1) or " ", markdown_text or "").split())


def _ellipsis(text):
    """Mark a fragment cut in mid-sentence."""
    return text if not text or text.endswith((".", "!", "?", "…")) else f"{text} …"


def marked_html(text):
    """Escape a text whose highlighted words sit between START and STOP; only <mark> survives."""
    return mark_safe(escape(text).replace(START, "<mark>").replace(STOP, "</mark>"))  # noqa: S308


def _singulars(folded):
    return {singular(word) for word in folded.split()}


# --- Searching -------------------------------------------------------------------------------------


class Search:
    """What the list needs from the search for a query typed by a person."""

    EXACT, CORRECTED, PARTIAL = "exact", "corrected", "partial"

    def __init__(self, text):
        self.text = text
        self._found = {}

    # --- The clauses, and which of the three ways finds something

    @cached_property
    def parsed(self):
        return parse_query(self.text, synonyms())

    @cached_property
    def _unknown(self):
        """The bare words of the query the directory's vocabulary does not know."""
        known = directory_words()
        return {
            clause.single_word
            for group in self.parsed
            for clause in group
            if not clause.excluded and clause.single_word and not is_known(clause.single_word, known)
        }

    @cached_property
    def _communes(self):
        """The communes named by unknown words, read in one query (see vocabulary.communes_named)."""
        if not self._unknown:
            return {}
        tokens = {fold(token) for token in re.findall(r"[^\s\"]+", self.text)} | {fold(self.text)}
        unknown = {singular(word) for word in self._unknown}
        return communes_named(sorted(token for token in tokens if _singulars(token) & unknown))

    @property
    def places(self):
        """[(commune name, its departments' names, its EPCI's names)] for the page's notice."""
        if self._exact_groups is self.parsed:
            return []  # Found as typed: no commune looked up.
        return [
            (
                place["label"],
                ", ".join(sorted(place["departments"].values())),
                ", ".join(place["epcis"].values()),
            )
            for _name, place in sorted(self._communes.items())
        ]

    def _with_places(self, groups):
        if not self._communes:
            return groups
        out = []
        for group in groups:
            clauses = []
            for clause in group:
                word = clause.single_word
                named = [
                    place
                    for name, place in self._communes.items()
                    if singular(word or "") in _singulars(name)
                ]
                if named and not clause.excluded:
                    departments = sorted(set().union(*(place["departments"] for place in named)))
                    epcis = sorted(set().union(*(place["epcis"] for place in named)))
                    clause = clause.with_places(departments, epcis)
                clauses.append(clause)
            out.append(clauses)
        return out

    @cached_property
    def _exact_groups(self):
        """The clauses as typed; if they find nothing, with the communes some words name."""
        if self._finds(self.parsed):
            return self.parsed
        return self._with_places(self.parsed)

    @cached_property
    def corrections(self):
        """{misspelled word: directory word} for the unknown words that name no commune."""
        if not self.parsed or self._finds(self._exact_groups):
            return {}
        in_places = set().union(*map(_singulars, self._communes))
        return corrections(
            sorted(w for w in self._unknown if singular(w) not in in_places), directory_words()
        )

    @cached_property
    def _corrected_groups(self):
        fixes = self.corrections
        if fixes:  # The word as written, for the stemmer: « calais », not its folded key « calai ».
            spelled = directory_words()
            fixes = {word: fold(spelled.get(fix, fix)) for word, fix in fixes.items()}
        return [
            [
                clause.with_alternative_words([fixes[clause.single_word]])
                if clause.single_word in fixes
                else clause
                for clause in group
            ]
            for group in self._exact_groups
        ]

    def _finds(self, groups):
        """Whether some published fiche holds every clause; asked once per set of clauses until the
        directory changes."""
        key = repr(groups)
        if key not in self._found:
            self._found[key] = bool(groups) and directory_cached(
                f"search_finds:{digest(key)}",
                lambda: Cooperation.objects.published().filter(self._condition(groups)).exists(),
            )
        return self._found[key]

    @cached_property
    def mode(self):
        if not self.parsed or self._finds(self._exact_groups):
            return self.EXACT
        if self.corrections and self._finds(self._corrected_groups):
            return self.CORRECTED
        return self.PARTIAL if len(self.positive_clauses) > 1 else self.EXACT

    @cached_property
    def groups(self):
        """The clauses the results are found by."""
        return self._exact_groups if self.mode == self.EXACT else self._corrected_groups

    @cached_property
    def positive_clauses(self):
        return [clause for group in self._corrected_groups for clause in group if not clause.excluded]

    @property
    def fuzzy(self):
        return self.mode != self.EXACT

    @cached_property
    def suggestion(self):
        """The query with each misspelled word replaced by the directory's, for « Vouliez-vous dire … ? »;
        a word the directory does not know and that is close to none of its words is left out, never
        suggested again as typed."""
        if not self.corrections:
            return ""
        spelled = directory_words()
        in_places = set().union(*map(_singulars, self._communes))
        dropped = {w for w in self._unknown if w not in self.corrections and singular(w) not in in_places}

        def replace(match):
            for word in (fold(match.group()), singular(fold(match.group()))):
                if word in self.corrections:
                    return spelled.get(self.corrections[word], match.group())
                if word in dropped:
                    return ""
            return match.group()

        return " ".join(re.sub(r"[\w'’-]+", replace, self.text).split())

    # --- Conditions

    def _clause_condition(self, clause):
        if clause.number:
            condition = number_condition(clause.number)
            return ~condition if clause.excluded else condition
        condition = reduce(or_, (self._alternative(alternative) for alternative in clause.alternatives))
        if clause.departments:
            links = Cooperation.departments.through.objects.filter(department_id__in=clause.departments)
            condition |= Q(pk__in=links.values("cooperation_id"))
        if clause.epcis:
            links = Cooperation.communes.through.objects.filter(commune__epci_id__in=clause.epcis)
            condition |= Q(pk__in=links.values("cooperation_id"))
        return ~condition if clause.excluded else condition

    def _condition(self, groups):
        return reduce(or_, (reduce(and_, map(self._clause_condition, group)) for group in groups))

    def filter(self, queryset):
        if not self.parsed:
            return queryset.none()
        if self.mode != self.PARTIAL:
            return queryset.filter(self._condition(self.groups))
        excluded = [clause for group in self.groups for clause in group if clause.excluded]
        found = reduce(or_, map(self._clause_condition, self.positive_clauses))
        return queryset.filter(reduce(and_, map(self._clause_condition, excluded), found))

    def _matched(self):
        """How many clauses a fiche holds, to rank partial matches."""
        cases = [
            Case(
                When(self._clause_condition(clause), then=Value(1)),
                default=Value(0),
                output_field=IntegerField(),
            )
            for clause in self.positive_clauses
        ]
        return reduce(lambda a, b: a + b, cases)

    def order_by_rank(self, queryset):
        queryset = queryset.alias(rank=self.rank())
        if self.mode == self.PARTIAL:
            return queryset.alias(matched=self._matched()).order_by("-matched", "-rank", "-published_at")
        return queryset.order_by("-rank", "-published_at")

    # --- Full text

    def _query(self, alternative):
        queries = [
            SearchQuery(" ".join(phrase), search_type="phrase", config=CONFIG) for phrase in alternative
        ]
        return reduce(and_, queries)

    def _alternative(self, alternative):
        return Q(search_vector=self._query(alternative))

    @cached_property
    def any_query(self):
        """Every word sought, any of them: what ranks and highlights; None when only numbers are."""
        alternatives = [a for clause in self.positive_clauses for a in clause.alternatives]
        return reduce(or_, map(self._query, alternatives)) if alternatives else None

    def rank(self):
        if self.any_query is None:
            return Value(0.0, output_field=FloatField())
        return SearchRank(F("search_vector"), self.any_query)

    def with_highlights(self, queryset):
        """Annotate what `highlight` needs, computed by the database."""
        if self.any_query is None:
            return queryset
        marks = {"config": CONFIG, "start_sel": START, "stop_sel": STOP}
        return queryset.annotate(
            title_headline=SearchHeadline("title", self.any_query, highlight_all=True, **marks),
            snippet_headline=SearchHeadline(
                search_index.snippet_document(),
                self.any_query,
                max_words=SNIPPET_WORDS,
                min_words=15,
                max_fragments=2,
                fragment_delimiter=" … ",
                **marks,
            ),
        )

    def highlight(self, cooperations):
        """Give each fiche a `highlighted_title` and a `snippet`: safe HTML where only <mark> is markup."""
        if self.any_query is None:
            return
        for cooperation in cooperations:
            cooperation.highlighted_title = marked_html(cooperation.title_headline)
            cooperation.snippet = marked_html(_ellipsis(plain(cooperation.snippet_headline)))


def number_condition(number):
    """The fiches a bare number designates: a department code (« 93 », « 2A », « 9 » for 09) by their
    departments and communes; a year (1900 to 2100) by their start; a postal code by their participants'
    addresses, their communes' INSEE codes and the department it begins with. Never a figure of the
    text: « 93 » is not « 93 % »."""
    code = number.upper()
    if len(code) <= 3:
        department = code.zfill(2)
        return _in_departments([department])
    if len(code) == 4:
        year = int(code)
        return Q(start_year=year) if 1900 <= year <= 2100 else Q(pk__in=[])
    prefix = code[:3] if code.startswith("97") else code[:2]
    departments = ["2A", "2B"] if prefix == "20" else [prefix]
    postal = Participation.objects.filter(structure__postal_code=code).values("cooperation_id")
    communes = Cooperation.communes.through.objects.filter(commune_id=code).values("cooperation_id")
    return Q(pk__in=postal) | Q(pk__in=communes) | _in_departments(departments)


def _in_departments(codes):
    links = Cooperation.departments.through.objects.filter(department_id__in=codes)
    communes = Cooperation.communes.through.objects.filter(commune__department_id__in=codes)
    return Q(pk__in=links.values("cooperation_id")) | Q(pk__in=communes.values("cooperation_id"))


def text_search(text):
    """The search for a query typed by a person."""
    return Search(text)


def french_order(field):
    """Names in French alphabetical order ("Écopôle" among the E): compared without accents or case,
    which needs no ICU collation (the embedded PostgreSQL is built without ICU). Order by the field
    itself after it, for names equal but for their accents."""
    return Func(Lower(field), function="unaccent")
