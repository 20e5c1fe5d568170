"""Searching the fiches: the one entry point is `text_search(text)`, used by the list's FilterSet.

On PostgreSQL, each fiche carries a weighted tsvector (A: title; B: summary, structure names, place
names; C: the sections) in the `french_unaccent` configuration: French stemming on unaccented words.
Queries use the web-search syntax ("quoted phrases", -exclusions, or), are ranked with ts_rank and
highlighted with ts_headline. When nothing matches, a trigram similarity on titles and structure names
catches misspellings.

On SQLite, each fiche carries its words folded (no accents, lower case, plurals reduced to singular),
and every query word must be found among them, with the same syntax.

The search data is rewritten in SQL by `refresh_search_index()` whenever a fiche, its participations or
a participant's name changes (see signals.py); `manage.py rebuild_search_index` rewrites all of it.
"""

import re
from functools import cached_property

from django.contrib.postgres.lookups import Unaccent
from django.contrib.postgres.search import (
    SearchHeadline,
    SearchQuery,
    SearchRank,
    TrigramWordSimilarity,
)
from django.db import connection
from django.db.models import F, FloatField, OuterRef, Q, Subquery, TextField, Value
from django.db.models.expressions import RawSQL
from django.db.models.functions import Coalesce, Collate, Concat, Greatest, Lower
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.text import Truncator

from lib.text import fold

from .models import Cooperation, Participation

CONFIG = "french_unaccent"
# word_similarity() above which a title or structure name counts as a misspelling of the query.
FUZZY_THRESHOLD = 0.4
SNIPPET_WORDS = 30
SECTION_COLUMNS = (*Cooperation.SECTION_FIELDS, "figures_text")
# Marks around highlighted words until the text is escaped: characters no fiche contains.
START, STOP = "\ue000", "\ue001"

# Words too common to narrow a search (the spirit of PostgreSQL's French stop words).
STOPWORDS = frozenset({
    "a", "au", "aux", "avec", "c", "ce", "ces", "d", "dans", "de", "des", "du", "elle", "en", "et", "eux",
    "il", "ils", "j", "je", "l", "la", "le", "les", "leur", "leurs", "lui", "m", "ma", "mais", "me", "mes",
    "moi", "mon", "n", "ne", "nos", "notre", "nous", "on", "ou", "par", "pas", "pour", "qu", "que", "qui",
    "s", "sa", "se", "ses", "son", "sur", "t", "ta", "te", "tes", "toi", "ton", "tu", "un", "une", "vos",
    "votre", "vous", "y",
})  # fmt: skip


# --- Folding (SQLite) ------------------------------------------------------------------------------


def singular(word):
    """Simple French plural folding: "boulangeries" -> "boulangerie", "animaux" -> "animal"."""
    if len(word) > 4 and word.endswith("eaux"):
        return word[:-1]
    if len(word) > 4 and word.endswith("aux"):
        return word[:-3] + "al"
    if len(word) > 3 and word[-1] in "sx":
        return word[:-1]
    return word


def folded_words(text):
    return [singular(word) for word in fold(text).split()]


def search_document(title, secondary, sections):
    """The folded words of a fiche, title first; " | " and " || " close the title and the B text."""
    parts = [" ".join(folded_words(part)) for part in (title, secondary, sections)]
    return f" {parts[0]} | {parts[1]} || {parts[2]} "


def register_sqlite_functions(sender, connection, **kwargs):
    """Give each SQLite connection the folding function and the French title collation."""
    if connection.vendor != "sqlite":
        return
    raw = connection.connection
    raw.create_function("coop_search_document", 3, search_document, deterministic=True)
    raw.create_collation("coop_fr", lambda a, b: (fold(a) > fold(b)) - (fold(a) < fold(b)))


# --- Keeping the index fresh -----------------------------------------------------------------------


def _aggregate(column, joins, vendor):
    function = "string_agg({}, ' ')" if vendor == "postgresql" else "group_concat({}, ' ')"
    return f"coalesce((SELECT {function.format(column)} FROM {joins}), '')"


def _document_sql(vendor):
    """The SQL expressions for the three weighted parts of a fiche (table alias `c`)."""
    coop = "cooperations_cooperation_{} AS l"
    names = [
        _aggregate(
            "s.name",
            "cooperations_participation AS p JOIN structures_structure AS s ON s.id = p.structure_id"
            " WHERE p.cooperation_id = c.id",
            vendor,
        ),
        _aggregate(
            "r.name",
            coop.format("regions") + " JOIN territories_region AS r ON r.code = l.region_id"
            " WHERE l.cooperation_id = c.id",
            vendor,
        ),
        # Department names, and the names of their regions, so that "Bretagne" finds a fiche in Finistère.
        _aggregate(
            "d.name || ' ' || r.name",
            coop.format("departments") + " JOIN territories_department AS d ON d.code = l.department_id"
            " JOIN territories_region AS r ON r.code = d.region_id WHERE l.cooperation_id = c.id",
            vendor,
        ),
        _aggregate(
            "m.name",
            coop.format("communes") + " JOIN territories_commune AS m ON m.code = l.commune_id"
            " WHERE l.cooperation_id = c.id",
            vendor,
        ),
    ]
    secondary = " || ' ' || ".join(["c.summary", *names])
    sections = " || ' ' || ".join(f"c.{column}" for column in SECTION_COLUMNS)
    return "c.title", secondary, sections


def refresh_search_index(*, cooperation_ids=None, structure_id=None):
    """Rewrite the search data of some fiches in one UPDATE: the given ones, those in which the
    structure takes part, or all of them when neither is given. Returns the number of rows written."""
    vendor = connection.vendor
    title, secondary, sections = _document_sql(vendor)
    if vendor == "postgresql":
        assignment = (
            f"search_vector = setweight(to_tsvector('{CONFIG}', {title}), 'A')"
            f" || setweight(to_tsvector('{CONFIG}', {secondary}), 'B')"
            f" || setweight(to_tsvector('{CONFIG}', {sections}), 'C')"
        )
    else:
        assignment = f"search_text = coop_search_document({title}, {secondary}, {sections})"

    where, params = "", []
    if cooperation_ids is not None:
        ids = list(cooperation_ids)
        if not ids:
            return 0
        where, params = f" WHERE c.id IN ({', '.join(['%s'] * len(ids))})", ids
    elif structure_id is not None:
        participations = "SELECT cooperation_id FROM cooperations_participation WHERE structure_id = %s"
        where = f" WHERE c.id IN ({participations})"
        params = [structure_id]
    with connection.cursor() as cursor:
        cursor.execute(f"UPDATE cooperations_cooperation AS c SET {assignment}{where}", params)
        return cursor.rowcount


# --- Reading the query -----------------------------------------------------------------------------

_TOKEN = re.compile(r'(-?)"([^"]*)"?|(\S+)')


def parse_query(text):
    """Web-search syntax read the way websearch_to_tsquery reads it, for SQLite.

    Returns OR-groups; each is a list of (excluded, phrase) where a phrase is a tuple of folded words.
    Stop words are dropped (a phrase keeps them, as they stand between its words).
    """
    groups, current = [], []
    for match in _TOKEN.finditer(text):
        minus, quoted, bare = match.groups()
        if bare is not None:
            if bare.lower() == "or":
                if current:
                    groups.append(current)
                    current = []
                continue
            minus, body = ("-", bare[1:]) if bare.startswith("-") and len(bare) > 1 else ("", bare)
            words = [word for word in folded_words(body) if word not in STOPWORDS]
        else:
            words = folded_words(quoted)
            if all(word in STOPWORDS for word in words):
                words = []
        if words:
            current.append((bool(minus), tuple(words)))
    if current:
        groups.append(current)
    # A group made only of exclusions would match nearly everything: websearch_to_tsquery drops nothing,
    # but such a query is not what anyone types, so it simply matches no fiche here.
    return [group for group in groups if any(not excluded for excluded, _ in group)]


def _positive_words(groups):
    return {word for group in groups for excluded, phrase in group if not excluded for word in phrase}


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


def _mark_words(text, words):
    def mark(match):
        word = match.group()
        return f"{START}{word}{STOP}" if singular(fold(word)) in words else word

    return _WORD.sub(mark, text)


def _snippet(text, words):
    """About SNIPPET_WORDS words of the text around the first highlighted one."""
    tokens = text.split()
    first = next((i for i, token in enumerate(tokens) if START in _mark_words(token, words)), 0)
    start = max(0, first - 8)
    window = " ".join(tokens[start : start + SNIPPET_WORDS])
    prefix = "… " if start else ""
    suffix = " …" if start + SNIPPET_WORDS < len(tokens) else ""
    return prefix + _mark_words(window, words) + suffix


def _document_text(cooperation):
    return "\n".join(filter(None, [cooperation.summary, *(getattr(cooperation, c) for c in SECTION_COLUMNS)]))


# --- Searching -------------------------------------------------------------------------------------


class BaseSearch:
    """What the list needs from a search, whatever the database."""

    def __init__(self, text):
        self.text = text

    fuzzy = False  # True when the results are approximate matches of a misspelled query.

    def filter(self, queryset):
        raise NotImplementedError

    def order_by_rank(self, queryset):
        raise NotImplementedError

    def with_highlights(self, queryset):
        """Annotate what `highlight` needs, when the database computes it."""
        return queryset

    def highlight(self, cooperations):
        """Give each fiche a `highlighted_title` and a `snippet`: safe HTML where only <mark> is markup."""
        raise NotImplementedError


class PostgresSearch(BaseSearch):
    @cached_property
    def query(self):
        return SearchQuery(self.text, search_type="websearch", config=CONFIG)

    @cached_property
    def folded(self):
        return fold(self.text)

    @cached_property
    def fuzzy(self):
        # Only for plain words: quotes, exclusions and "or" ask for exactness.
        groups = parse_query(self.text)
        plain_words = len(groups) == 1 and '"' not in self.text and not any(e for e, _ in groups[0])
        if not plain_words or len(self.folded) < 3:
            return False
        # Decided once for the whole site, so that the results and every facet count agree.
        return not Cooperation.objects.published().filter(search_vector=self.query).exists()

    def similarity(self):
        title = TrigramWordSimilarity(Value(self.folded), Unaccent(Lower("title")))
        structures = Participation.objects.filter(cooperation=OuterRef("pk")).annotate(
            similarity=TrigramWordSimilarity(Value(self.folded), "structure__search_name")
        )
        best_structure = Subquery(structures.order_by("-similarity").values("similarity")[:1])
        return Greatest(title, Coalesce(best_structure, 0.0), output_field=FloatField())

    def filter(self, queryset):
        if self.fuzzy:
            return queryset.alias(similarity=self.similarity()).filter(similarity__gte=FUZZY_THRESHOLD)
        return queryset.filter(search_vector=self.query)

    def order_by_rank(self, queryset):
        if self.fuzzy:
            return queryset.alias(similarity=self.similarity()).order_by("-similarity", "-published_at")
        rank = SearchRank(F("search_vector"), self.query)
        return queryset.alias(rank=rank).order_by("-rank", "-published_at")

    def with_highlights(self, queryset):
        if self.fuzzy:
            return queryset
        marks = {"config": CONFIG, "start_sel": START, "stop_sel": STOP}
        parts = []
        for column in ("summary", *SECTION_COLUMNS):
            parts += [column, Value("\n")]  # New lines keep list markers recognisable.
        return queryset.annotate(
            title_headline=SearchHeadline("title", self.query, highlight_all=True, **marks),
            snippet_headline=SearchHeadline(
                Concat(*parts[:-1], output_field=TextField()),
                self.query,
                max_words=SNIPPET_WORDS,
                min_words=15,
                max_fragments=2,
                fragment_delimiter=" … ",
                **marks,
            ),
        )

    def highlight(self, cooperations):
        for cooperation in cooperations:
            if self.fuzzy:
                cooperation.highlighted_title = escape(cooperation.title)
                cooperation.snippet = escape(Truncator(plain(cooperation.summary)).words(SNIPPET_WORDS))
            else:
                cooperation.highlighted_title = marked_html(cooperation.title_headline)
                cooperation.snippet = marked_html(_ellipsis(plain(cooperation.snippet_headline)))


class SQLiteSearch(BaseSearch):
    @cached_property
    def groups(self):
        return parse_query(self.text)

    @cached_property
    def words(self):
        return _positive_words(self.groups)

    def filter(self, queryset):
        if not self.groups:
            return queryset.none()
        condition = Q()
        for group in self.groups:
            clause = Q()
            for excluded, phrase in group:
                found = Q(search_text__contains=f" {' '.join(phrase)} ")
                clause &= ~found if excluded else found
            condition |= clause
        return queryset.filter(condition)

    def order_by_rank(self, queryset):
        # Each query word weighs 1 in the title, 0.4 in the summary, names and places, 0.1 elsewhere.
        column = '"cooperations_cooperation"."search_text"'
        case = (
            f"(CASE WHEN instr({column}, %s) = 0 THEN 0"
            f" WHEN instr({column}, %s) < instr({column}, ' | ') THEN 1.0"
            f" WHEN instr({column}, %s) < instr({column}, ' || ') THEN 0.4 ELSE 0.1 END)"
        )
        words = sorted(self.words)
        if not words:
            return queryset.order_by("-published_at")
        params = [f" {word} " for word in words for _ in range(3)]
        rank = RawSQL(" + ".join([case] * len(words)), params, output_field=FloatField())
        return queryset.alias(rank=rank).order_by("-rank", "-published_at")

    def highlight(self, cooperations):
        for cooperation in cooperations:
            cooperation.highlighted_title = marked_html(_mark_words(cooperation.title, self.words))
            cooperation.snippet = marked_html(_snippet(plain(_document_text(cooperation)), self.words))


def text_search(text):
    """The search for a query typed by a person, on the current database."""
    return PostgresSearch(text) if connection.vendor == "postgresql" else SQLiteSearch(text)


def french_order(field):
    """Names in French alphabetical order ("Écopôle" among the E), on both databases."""
    return Collate(field, "coop_fr")
