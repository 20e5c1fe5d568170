"""The search data each fiche carries, rewritten in SQL whenever the fiche or what it is searched by
changes (signals.py); `manage.py rebuild_search_index` rewrites all of it.

On PostgreSQL, a weighted tsvector in the `french_unaccent` configuration (French stemming on
unaccented words): A, the title and the participants' names; B, the summary, the places, the forms,
sectors and level, and the participants' kinds by code and label (« EA », « Entreprise adaptée »);
C, the sections. On SQLite, the same texts folded (no accents, lower case, plurals reduced to
singular), in three parts the ranking tells apart.
"""

from functools import cache

from django.db import connection
from django.db.models import TextField, Value
from django.db.models.functions import Concat
from django.utils import translation

from lib.text import fold
from structures.models import Structure

from .models import Cooperation, Level
from .query import folded_words

CONFIG = "french_unaccent"
SECTION_COLUMNS = (*Cooperation.SECTION_FIELDS, "figures_text")


@cache
def snippet_document():
    """The summary and the sections, a new line between each (it keeps list markers recognisable), that
    search snippets are cut from. Built once: nesting eleven columns in Concat cost more than the rest
    of a cached search's Python (a query copies an expression, it does not change it)."""
    parts = [part for column in ("summary", *SECTION_COLUMNS) for part in (column, Value("\n"))]
    return Concat(*parts[:-1], output_field=TextField())


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


def _aggregate(column, joins, vendor):
    function = "string_agg({}, ' ')" if vendor == "postgresql" else "group_concat({}, ' ')"
    return f"coalesce((SELECT {function.format(column)} FROM {joins}), '')"


def _labels(column, choices):
    """A CASE giving the French label of a choice column, with the code: « EA Entreprise adaptée (EA) »."""
    with translation.override("fr"):
        cases = " ".join(
            "WHEN '{}' THEN '{} {}'".format(value, value, str(label).replace("'", "''"))
            for value, label in choices
        )
    return f"(CASE {column} {cases} ELSE '' END)"


def _document_sql(vendor):
    """The SQL expressions for the three weighted parts of a fiche (table alias `c`)."""
    link = "cooperations_cooperation_{} AS l"
    participants = "cooperations_participation AS p JOIN structures_structure AS s ON s.id = p.structure_id"
    names = _aggregate("s.name", f"{participants} WHERE p.cooperation_id = c.id", vendor)
    secondary = [
        "c.summary",
        _aggregate(
            "r.name",
            link.format("regions") + " JOIN territories_region AS r ON r.code = l.region_id"
            " WHERE l.cooperation_id = c.id",
            vendor,
        ),
        # Department names, and the names of their regions, so that "Bretagne" finds a fiche in Finistère.
        _aggregate(
            "d.name || ' ' || r.name",
            link.format("departments") + " JOIN territories_department AS d ON d.code = l.department_id"
            " JOIN territories_region AS r ON r.code = d.region_id WHERE l.cooperation_id = c.id",
            vendor,
        ),
        _aggregate(
            "m.name",
            link.format("communes") + " JOIN territories_commune AS m ON m.code = l.commune_id"
            " WHERE l.cooperation_id = c.id",
            vendor,
        ),
        _aggregate(
            "f.name || ' ' || f.short_name",
            link.format("forms") + " JOIN cooperations_cooperationform AS f ON f.id = l.cooperationform_id"
            " WHERE l.cooperation_id = c.id",
            vendor,
        ),
        _aggregate(
            "t.name",
            link.format("sectors") + " JOIN structures_sector AS t ON t.id = l.sector_id"
            " WHERE l.cooperation_id = c.id",
            vendor,
        ),
        _aggregate(
            _labels("s.kind", Structure.Kind.choices), f"{participants} WHERE p.cooperation_id = c.id", vendor
        ),
        _labels("c.level", Level.choices),
    ]
    sections = " || ' ' || ".join(f"c.{column}" for column in SECTION_COLUMNS)
    return f"c.title || ' ' || {names}", " || ' ' || ".join(secondary), sections


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
