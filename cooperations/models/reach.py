"""Which fiches belong to a territory, and how closely: the one definition that the list's filter, order
and facet counts, the similar fiches, the territory pages, the statistics and the API are built on.

A fiche belongs to a department
- OWN when it is linked to the department;
- REGIONAL when it is linked to the department's region, or is of regional scope and linked to one of
  the region's departments;
- NATIONAL when it is of national scope;
its reach there being the closest of these. It belongs to a region (OWN) when it is linked to the region
or to one of its departments; the national fiches are not a region's own (its page shows them apart).
So a department's fiches, national ones aside, are its region's.

Everything reads `pairs()`, the SQL rows (cooperation_id, code, reach) of each way a fiche belongs to a
territory. A condition on the code or the reach goes down into each way (PostgreSQL pushes it into the
branches of a UNION ALL), so that reading one territory's fiches reads that territory's links only.
"""

from django.db.models.expressions import RawSQL

OWN, REGIONAL, NATIONAL = 0, 1, 2
DEPARTMENT, REGION = "department", "region"

FICHES = "cooperations_cooperation"
DEPARTMENT_LINKS = "cooperations_cooperation_departments"
REGION_LINKS = "cooperations_cooperation_regions"
DEPARTMENTS = "territories_department"
TERRITORIES = {DEPARTMENT: DEPARTMENTS, REGION: "territories_region"}


def pairs(kind, fiches=None):
    """SQL of the rows (cooperation_id, code, reach): each way a fiche belongs to a territory of `kind`.
    A fiche may belong to a territory in several ways; its reach there is the least.

    fiches: the fiches to read, all of them if None: a common table, or an aliased subquery, of their
    `id` and `scope`. Written into each way, so that a few fiches' links are read from their index.
    """
    source = fiches or FICHES
    among = f" WHERE l.cooperation_id IN (SELECT id FROM {fiches})" if fiches else ""
    if kind == REGION:
        return (
            f"SELECT l.cooperation_id, l.region_id AS code, {OWN} AS reach FROM {REGION_LINKS} AS l{among}"
            f" UNION ALL SELECT l.cooperation_id, d.region_id, {OWN} FROM {DEPARTMENT_LINKS} AS l"
            f" JOIN {DEPARTMENTS} AS d ON d.code = l.department_id{among}"
        )
    return (
        f"SELECT l.cooperation_id, l.department_id AS code, {OWN} AS reach"
        f" FROM {DEPARTMENT_LINKS} AS l{among}"
        f" UNION ALL SELECT l.cooperation_id, d.code, {REGIONAL} FROM {REGION_LINKS} AS l"
        f" JOIN {DEPARTMENTS} AS d ON d.region_id = l.region_id{among}"
        f" UNION ALL SELECT l.cooperation_id, d.code, {REGIONAL} FROM {DEPARTMENT_LINKS} AS l"
        f" JOIN {DEPARTMENTS} AS placed ON placed.code = l.department_id"
        f" JOIN {DEPARTMENTS} AS d ON d.region_id = placed.region_id"
        f" WHERE l.cooperation_id IN (SELECT id FROM {source} WHERE scope = 'regional')"
        f" UNION ALL SELECT n.id, d.code, {NATIONAL} FROM (SELECT id FROM {source} WHERE scope = 'national')"
        f" AS n CROSS JOIN {DEPARTMENTS} AS d"
    )


def fiches_in(kind, code, reach=None):
    """The ids of the fiches that belong to the territory (in this way only, if `reach` is given), for
    `filter(pk__in=...)`. DISTINCT tells the planner how few they are: it then reads the other filters'
    fiches among them, rather than looking each of those up."""
    only = "" if reach is None else f" AND r.reach = {int(reach)}"
    sql = f"SELECT DISTINCT r.cooperation_id FROM ({pairs(kind)}) AS r WHERE r.code = %s{only}"
    return RawSQL(sql, [code])


def counts(kind, ids_sql, params=()):
    """(SQL, params) of the rows (code, n), for the territories with n > 0: how many of the fiches
    whose ids `ids_sql` selects (with `params`) belong to each territory of `kind`.

    The national fiches, which belong to every department, are counted once and added to each, rather
    than paired with each of the hundred departments: for departments, the selection is read once, with
    the fiches' scope, to set them apart. A region's two ways each read the selection again, which costs
    less than keeping ten thousand ids aside.
    """
    if kind == REGION:
        selection, everywhere = "", "0"
        counted, params = pairs(kind, f"({ids_sql}) AS selection(id)"), [*params, *params]
    else:
        selection = f"reach_fiches AS (SELECT id, scope FROM {FICHES} WHERE id IN ({ids_sql})), "
        counted = pairs(kind, "(SELECT id, scope FROM reach_fiches WHERE scope <> 'national') AS counted")
        everywhere = "(SELECT COUNT(*) FROM reach_fiches WHERE scope = 'national')"
    sql = (
        f"WITH {selection}everywhere(n) AS (SELECT {everywhere})"
        " SELECT t.code, COALESCE(p.n, 0) + everywhere.n AS n"
        f" FROM {TERRITORIES[kind]} AS t CROSS JOIN everywhere"
        " LEFT JOIN (SELECT code, COUNT(*) AS n FROM (SELECT DISTINCT r.cooperation_id, r.code"
        f" FROM ({counted}) AS r WHERE r.reach < {NATIONAL}) AS distinct_pairs GROUP BY code) AS p"
        " ON p.code = t.code WHERE COALESCE(p.n, 0) + everywhere.n > 0"
    )
    return sql, list(params)


def published_count(kind, code_column):
    """SQL of the number of published fiches that belong to the territory whose code is `code_column`,
    a column of the outer query: for annotating territories.

    Every territory is counted at once, by an uncorrelated subquery that PostgreSQL runs once per query
    (an InitPlan), and each row looks its code up in the result: a subquery run for each territory
    read the links of its region, and the national fiches, again and again.
    """
    published, _no_params = counts(kind, f"SELECT id FROM {FICHES} WHERE status = 'published'")
    every = f"(SELECT jsonb_object_agg(c.code, c.n) FROM ({published}) AS c)"
    return f"COALESCE(({every} ->> {code_column})::integer, 0)"


def latest_changes(kind):
    """SQL of the rows (code, latest, latest_own): when the published fiches that belong to each
    territory of `kind` last changed, all of them and its own, for the territories that have some."""
    return (
        f"SELECT r.code, MAX(f.updated_at) AS latest, MAX(f.updated_at) FILTER (WHERE r.reach = {OWN})"
        f" AS latest_own FROM ({pairs(kind)}) AS r JOIN {FICHES} AS f ON f.id = r.cooperation_id"
        " WHERE f.status = 'published' GROUP BY r.code"
    )
