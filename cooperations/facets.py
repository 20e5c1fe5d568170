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

from territories.models import Department

from .models import Cooperation, Participation

NARROWED = "narrowed"
NATIONAL = "*national"

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

    The department counts include the fiches of regional scope of each department's region and the
    national fiches (see CooperationQuerySet.in_department); the national ones, the same for every
    department, come back as one count under the key NATIONAL, for the caller to add.
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
    if name == "department":
        return _department_counts(ids)
    if name == "structure_kind":
        # A fiche with two structures of a kind counts once for that kind: distinct pairs first.
        pairs = Participation.objects.filter(cooperation_id__in=ids)
        pairs = pairs.values("cooperation_id", kind=F("structure__kind")).order_by().distinct()
        sql, params = pairs.query.sql_with_params()
        return f"SELECT kind AS facet_value, COUNT(*) AS n FROM ({sql}) AS pairs GROUP BY kind", params
    if name == "region":
        # In a region directly or through its departments: the distinct pairs of both ways, grouped.
        sql, params = (ids.sql, ids.params) if isinstance(ids, RawSQL) else ids.query.sql_with_params()
        regions = Cooperation.regions.through._meta.db_table
        departments = Cooperation.departments.through._meta.db_table
        return (
            "SELECT region_id AS facet_value, COUNT(*) AS n FROM ("
            f" SELECT l.region_id, l.cooperation_id FROM {regions} AS l WHERE l.cooperation_id IN ({sql})"
            " UNION SELECT d.region_id, l.cooperation_id"
            f" FROM {departments} AS l JOIN {Department._meta.db_table} AS d ON d.code = l.department_id"
            f" WHERE l.cooperation_id IN ({sql})) AS pairs GROUP BY region_id",
            (*params, *params),
        )
    raise ValueError(f"unknown facet {name!r}")


def _department_counts(ids):
    """Each department's fiches: linked to it, or of regional scope in its region (linked to the region,
    or to one of its departments), the national ones apart, counted once under NATIONAL.

    The selection is read once, as a common table that the three ways and the national count share.
    """
    sql, params = (ids.sql, ids.params) if isinstance(ids, RawSQL) else ids.query.sql_with_params()
    table = Cooperation._meta.db_table
    departments = Cooperation.departments.through._meta.db_table
    regions = Cooperation.regions.through._meta.db_table
    department = Department._meta.db_table
    local = "(SELECT id FROM department_selection WHERE scope <> 'national')"
    return (
        f"WITH department_selection AS (SELECT id, scope FROM {table} WHERE id IN ({sql}))"
        " SELECT department_id AS facet_value, COUNT(*) AS n FROM ("
        f" SELECT l.department_id, l.cooperation_id FROM {departments} AS l WHERE l.cooperation_id IN {local}"
        f" UNION SELECT d.code, l.cooperation_id FROM {regions} AS l JOIN {department} AS d"
        f" ON d.region_id = l.region_id WHERE l.cooperation_id IN {local}"
        f" UNION SELECT d.code, l.cooperation_id FROM {departments} AS l"
        f" JOIN {department} AS own ON own.code = l.department_id"
        f" JOIN {department} AS d ON d.region_id = own.region_id"
        " WHERE l.cooperation_id IN (SELECT id FROM department_selection WHERE scope = 'regional')"
        ") AS pairs GROUP BY department_id"
        f" UNION ALL SELECT '{NATIONAL}', COUNT(*) FROM department_selection WHERE scope = 'national'",
        params,
    )
