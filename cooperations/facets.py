"""The counts of the list's facets, all six in one query.

Each facet counts, for each of its options, the fiches chosen by every other filter: choosing a region
shows how many fiches each sector has there, and how many each other region would give. The filters
that are not facets (the search, the years) narrow every count alike: when one is used, its selection
is computed once, as the `narrowed` common table, and each facet's count starts from it, so that a
search is matched once for the six counts instead of once per count. Without them, each count reads the
published fiches' ids from an index, which costs less than going through a common table.
"""

from django.core.exceptions import EmptyResultSet
from django.db import connection
from django.db.models import Count, F
from django.db.models.expressions import RawSQL

from .models import Cooperation, Participation, reach

NARROWED = "narrowed"

# facet -> (link table, the column counted), for the facets read from one link table; a fiche has each
# value once in such a table, so COUNT(*) is exact and cheaper than COUNT(DISTINCT).
LINKS = {
    "form": (Cooperation.forms.through, "cooperationform__code"),
    "sector": (Cooperation.sectors.through, "sector__slug"),
}


def count_facets(narrowed, facets, faceted, *, shared, chosen=(), narrowing_itself=()):
    """{facet: {value: number of fiches}} for each name of `facets`, in one query.

    narrowed: the fiches chosen by the filters that are not facets.
    faceted(queryset, name): `queryset` narrowed by the chosen options of every facet but `name`.
    shared: whether to compute `narrowed` once for all counts (when a search or a year range is used).
    chosen: the facets with an option chosen; a count that no other facet narrows reads the common
    table alone, without going back to the fiches.
    narrowing_itself: the facets whose own choice narrows their counts (kinds=all).

    A region or department counts the fiches that belong to it (models/reach.py), as its filter gives.
    """
    counts = {name: {} for name in facets}
    try:
        narrowed_sql, params = narrowed.order_by().values("pk", "level").query.sql_with_params()
    except EmptyResultSet:  # The selection is known to be empty without asking the database.
        return counts
    if shared:
        start = Cooperation.objects.filter(pk__in=RawSQL(f"SELECT pk FROM {NARROWED}", ()))
        prefix = f"WITH {NARROWED}(pk, level) AS ({narrowed_sql}) "
    else:
        start, prefix, params = narrowed, "", ()
    parts = []
    for name in facets:
        try:
            if shared and not set(chosen) - {name} and name not in narrowing_itself:
                sql, part_params = _grouped(name, None, RawSQL(f"SELECT pk FROM {NARROWED}", ()))
            else:
                selection = faceted(start, name).order_by()
                sql, part_params = _grouped(name, selection, selection.values("pk"))
        except EmptyResultSet:
            continue
        parts.append(f"SELECT '{name}' AS facet, facet_value, n FROM ({sql}) AS {name}_counts")
        params = (*params, *part_params)
    if not parts:
        return counts
    with connection.cursor() as cursor:
        cursor.execute(prefix + " UNION ALL ".join(parts), params)
        for name, value, n in cursor.fetchall():
            counts[name][value] = n
    return counts


def _grouped(name, selection, ids):
    """(SQL, params) of one facet's (facet_value, n) rows over the fiches of `selection`, whose ids
    are `ids`; without `selection`, over the common table of the narrowed fiches."""
    if name == "level":
        if selection is None:
            return f"SELECT level AS facet_value, COUNT(*) AS n FROM {NARROWED} GROUP BY level", ()
        return selection.values(facet_value=F("level")).annotate(n=Count("pk")).query.sql_with_params()
    if name in LINKS:
        through, column = LINKS[name]
        rows = through.objects.filter(cooperation_id__in=ids).values(facet_value=F(column))
        return rows.annotate(n=Count("*")).order_by().query.sql_with_params()
    if name in ("department", "region"):
        sql, params = (ids.sql, ids.params) if isinstance(ids, RawSQL) else ids.query.sql_with_params()
        counts, params = reach.counts(name, sql, params)
        return f"SELECT code AS facet_value, n FROM ({counts}) AS territory_counts", params
    if name == "structure_kind":
        # A fiche with two structures of a kind counts once for that kind: distinct pairs first.
        pairs = Participation.objects.filter(cooperation_id__in=ids)
        pairs = pairs.values("cooperation_id", kind=F("structure__kind")).order_by().distinct()
        sql, params = pairs.query.sql_with_params()
        return f"SELECT kind AS facet_value, COUNT(*) AS n FROM ({sql}) AS pairs GROUP BY kind", params
    raise ValueError(f"unknown facet {name!r}")
