"""The search data each fiche carries, rewritten in SQL whenever the fiche or what it is searched by
changes (signals.py); `manage.py rebuild_search_index` rewrites all of it.

A weighted tsvector in the `french_unaccent` configuration (French stemming on unaccented words): A, the
title and the participants' names; B, the summary, the places, the forms, sectors and level, and the
participants' kinds by code and label (« EA », « Entreprise adaptée »); C, the sections.
"""

from functools import cache

from django.db import connection, models
from django.db.models import TextField, Value
from django.db.models.functions import Concat
from django.utils import translation

from lib.sql import in_ids, insert_rows
from structures.models import Structure

from . import facet_counts, similar
from .models import Cooperation, Level

CONFIG = "french_unaccent"
# Columns written as the attribute holds them (no pre_save, no conversion): preparing the 28 values of
# 10,000 new fiches through Django's fields cost a second of a first import. A DateTimeField is not
# one (auto_now). Text and numbers only: a ForeignKey's attribute is its id.
PLAIN_FIELDS = (models.CharField, models.TextField, models.IntegerField, models.ForeignKey)
SECTION_COLUMNS = (*Cooperation.SECTION_FIELDS, "figures_text")


@cache
def snippet_document():
    """The summary and the sections, a new line between each (it keeps list markers recognisable), that
    search snippets are cut from. Built once: nesting eleven columns in Concat cost more than the rest
    of a cached search's Python (a query copies an expression, it does not change it)."""
    parts = [part for column in ("summary", *SECTION_COLUMNS) for part in (column, Value("\n"))]
    return Concat(*parts[:-1], output_field=TextField())


def _aggregates():
    """What a fiche is searched by beyond its own columns: {name: (text of one row, FROM clause, the
    column naming the fiche)}, each row's text joined with spaces."""
    link = "cooperations_cooperation_{} AS l"
    participants = "cooperations_participation AS p JOIN structures_structure AS s ON s.id = p.structure_id"
    return {
        "names": ("s.name", participants, "p.cooperation_id"),
        "regions": (
            "r.name",
            link.format("regions") + " JOIN territories_region AS r ON r.code = l.region_id",
            "l.cooperation_id",
        ),
        # Department names, and the names of their regions, so that "Bretagne" finds a fiche in Finistère.
        "departments": (
            "d.name || ' ' || r.name",
            link.format("departments") + " JOIN territories_department AS d ON d.code = l.department_id"
            " JOIN territories_region AS r ON r.code = d.region_id",
            "l.cooperation_id",
        ),
        "communes": (
            "m.name",
            link.format("communes") + " JOIN territories_commune AS m ON m.code = l.commune_id",
            "l.cooperation_id",
        ),
        "forms": (
            "f.name || ' ' || f.short_name",
            link.format("forms") + " JOIN cooperations_cooperationform AS f ON f.id = l.cooperationform_id",
            "l.cooperation_id",
        ),
        "sectors": (
            "t.name",
            link.format("sectors") + " JOIN structures_sector AS t ON t.id = l.sector_id",
            "l.cooperation_id",
        ),
        "kinds": (_labels("s.kind", Structure.Kind.choices), participants, "p.cooperation_id"),
    }


def _joined():
    """Each aggregate as a subquery run for each fiche (table alias `c`)."""
    return {
        name: f"coalesce((SELECT string_agg({text}, ' ') FROM {source} WHERE {fiche} = c.id), '')"
        for name, (text, source, fiche) in _aggregates().items()
    }


def _grouped():
    """(each aggregate's SQL, the LEFT JOINs they read from, with one parameter each: the fiches' ids).
    For thousands of fiches at once: each aggregate is one grouped pass over the links
    of all of them, where a subquery run for each fiche cost a third of a first import's INSERT."""
    expressions, joins = {}, []
    for name, (text, source, fiche) in _aggregates().items():
        joins.append(
            f" LEFT JOIN (SELECT {fiche} AS id, string_agg({text}, ' ') AS text FROM {source}"
            f" WHERE {fiche} = ANY(%s::bigint[]) GROUP BY {fiche}) AS a_{name} ON a_{name}.id = c.id"
        )
        expressions[name] = f"coalesce(a_{name}.text, '')"
    return expressions, "".join(joins)


def _labels(column, choices):
    """A CASE giving the French label of a choice column, with the code: « EA Entreprise adaptée (EA) »."""
    with translation.override("fr"):
        cases = " ".join(
            "WHEN '{}' THEN '{} {}'".format(value, value, str(label).replace("'", "''"))
            for value, label in choices
        )
    return f"(CASE {column} {cases} ELSE '' END)"


def _document_sql(aggregated):
    """The SQL expressions for the three weighted parts of a fiche (table alias `c`), given the SQL of
    each aggregate (_joined or _grouped)."""
    secondary = [
        "c.summary",
        *(aggregated[name] for name in ("regions", "departments", "communes", "forms", "sectors", "kinds")),
        _labels("c.level", Level.choices),
    ]
    sections = " || ' ' || ".join(f"c.{column}" for column in SECTION_COLUMNS)
    return f"c.title || ' ' || {aggregated['names']}", " || ' ' || ".join(secondary), sections


def _vector_sql(aggregated):
    """The SQL expression of a fiche's weighted tsvector (table alias `c`)."""
    title, secondary, sections = _document_sql(aggregated)
    return (
        f"setweight(to_tsvector('{CONFIG}', {title}), 'A')"
        f" || setweight(to_tsvector('{CONFIG}', {secondary}), 'B')"
        f" || setweight(to_tsvector('{CONFIG}', {sections}), 'C')"
    )


def insert_with_search_data(fiches):
    """Write new fiches with their search data, computed in the same INSERT from their
    links and participations: these were written first, under primary keys the fiches were given by
    lib.sql.reserve_pks. An UPDATE afterwards rewrote each row and its indexes a second time."""
    fields = [field for field in Cooperation._meta.concrete_fields if field.name != "search_vector"]
    plain = [isinstance(field, PLAIN_FIELDS) for field in fields]
    rows = [
        tuple(
            getattr(fiche, field.attname)
            if is_plain
            else field.get_db_prep_save(field.pre_save(fiche, True), connection)
            for field, is_plain in zip(fields, plain, strict=True)
        )
        for fiche in fiches
    ]
    expressions, joins = _grouped()
    insert_rows(
        Cooperation,
        [field.attname for field in fields],
        rows,
        computed={"search_vector": _vector_sql(expressions)},
        joins=(joins, [[fiche.pk for fiche in fiches]] * joins.count("%s")),
    )
    for fiche in fiches:
        fiche._state.adding, fiche._state.db = False, connection.alias
    facet_counts.refresh([fiche.pk for fiche in fiches])
    similar.changed([fiche.pk for fiche in fiches])


def refresh_search_index(*, cooperation_ids=None, structure_id=None, linked=None, facets=True):
    """Rewrite the search data of some fiches in one UPDATE, and their facet keys (facet_counts.py):
    the given ones, those in which the structure takes part, those a SQL subquery `linked` =
    (sql, {"ids": [...]}) names (dependencies.FICHES), or all of them when none is given. Returns the
    number of rows written. `facets=False` leaves the facet keys alone (a migration older than them)."""
    if linked is not None:
        sql, named = linked
        cooperation_ids = _read_ids(sql, {"ids": list(named["ids"])}) if named["ids"] else []
    elif structure_id is not None:
        cooperation_ids = _read_ids(
            "SELECT cooperation_id FROM cooperations_participation WHERE structure_id = %s", [structure_id]
        )
    assignment = f"search_vector = {_vector_sql(_joined())}"
    with connection.cursor() as cursor:
        if cooperation_ids is None:
            cursor.execute(f"UPDATE cooperations_cooperation AS c SET {assignment}")
            if facets:
                facet_counts.rebuild()
                similar.forget_all()
            return cursor.rowcount
        ids = list(cooperation_ids)
        if not ids:
            return 0
        condition, params = in_ids("c.id", ids)
        cursor.execute(f"UPDATE cooperations_cooperation AS c SET {assignment} WHERE {condition}", params)
        written = cursor.rowcount
    if facets:
        facet_counts.refresh(ids)
    similar.changed(ids)
    return written


def _read_ids(sql, params):
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return [pk for (pk,) in cursor.fetchall()]
