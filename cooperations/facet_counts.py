"""The facet counts of every published fiche, read from a table kept up to date on each change (see
models/derived.py): the unfiltered list's counts without recounting the directory.

`refresh(ids)` rewrites the keys of these fiches and adds a move of the counts for the keys they gained
or lost, in one statement, in the caller's transaction; search_index.py calls it wherever a fiche's
search data is rewritten. Its keys follow the same definitions as the list's counts (facets.py,
models/reach.py), which a test compares on a changing directory.
"""

from django.db import connection

from .models import reach

KEYS = "cooperations_facetkey"
COUNTS = "cooperations_facetcount"
NATIONAL = "national"
MERGE_EVERY = 20


def _new_keys():
    """SQL of the rows (cooperation_id, facet, value) of the fiches of the common table `changed`
    (id, scope, level): the published ones among those asked for."""
    linked = "l.cooperation_id IN (SELECT id FROM changed)"
    departments = "(SELECT id, scope FROM changed WHERE scope <> 'national') AS counted"
    return (
        "SELECT id, 'level', level FROM changed"
        " UNION SELECT l.cooperation_id, 'form', f.code FROM cooperations_cooperation_forms AS l"
        f" JOIN cooperations_cooperationform AS f ON f.id = l.cooperationform_id WHERE {linked}"
        " UNION SELECT l.cooperation_id, 'sector', s.slug FROM cooperations_cooperation_sectors AS l"
        f" JOIN structures_sector AS s ON s.id = l.sector_id WHERE {linked}"
        " UNION SELECT l.cooperation_id, 'structure_kind', s.kind FROM cooperations_participation AS l"
        f" JOIN structures_structure AS s ON s.id = l.structure_id WHERE {linked}"
        f" UNION SELECT r.cooperation_id, 'region', r.code FROM ({reach.pairs(reach.REGION, 'changed')}) AS r"
        " UNION SELECT r.cooperation_id, 'department', r.code"
        f" FROM ({reach.pairs(reach.DEPARTMENT, departments)}) AS r WHERE r.reach < {reach.NATIONAL}"
        f" UNION SELECT id, '{NATIONAL}', '' FROM changed WHERE scope = 'national'"
    )


def refresh(cooperation_ids, *, removed=False):
    """Rewrite the keys of these fiches (none if `removed`, or if a fiche is not published) and move
    the counts by what changed. A fiche whose keys did not change writes nothing."""
    ids = list(cooperation_ids)
    if not ids:
        return
    sql = (
        "WITH changed AS (SELECT id, scope, level FROM cooperations_cooperation"
        " WHERE id = ANY(%(ids)s::bigint[]) AND status = 'published' AND NOT %(removed)s),"
        f" new(cooperation_id, facet, value) AS ({_new_keys()}),"
        f" old AS (SELECT cooperation_id, facet, value FROM {KEYS}"
        " WHERE cooperation_id = ANY(%(ids)s::bigint[])),"
        f" gone AS (DELETE FROM {KEYS} AS k USING (SELECT * FROM old EXCEPT SELECT * FROM new) AS g"
        " WHERE k.cooperation_id = g.cooperation_id AND k.facet = g.facet AND k.value = g.value"
        " RETURNING k.facet, k.value),"
        f" added AS (INSERT INTO {KEYS} (cooperation_id, facet, value)"
        " SELECT * FROM new EXCEPT SELECT * FROM old RETURNING facet, value),"
        " delta AS (SELECT facet, value, SUM(d) AS n FROM (SELECT facet, value, -1 AS d FROM gone"
        " UNION ALL SELECT facet, value, 1 FROM added) AS moves GROUP BY facet, value)"
        f" INSERT INTO {COUNTS} (facet, value, n) SELECT facet, value, n FROM delta WHERE n <> 0"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, {"ids": "{" + ",".join(map(str, ids)) + "}", "removed": removed})
        if cursor.rowcount:
            _merge_now_and_then(cursor)


def _merge_now_and_then(cursor):
    """Merge the moves into one row per value, about once in MERGE_EVERY changes, by one transaction
    at a time (the others go on without waiting): the table stays a few thousand rows."""
    cursor.execute(
        f"SELECT random() < {1 / MERGE_EVERY} AND pg_try_advisory_xact_lock(hashtext(%s))", [COUNTS]
    )
    if cursor.fetchone()[0]:
        cursor.execute(
            f"WITH moved AS (DELETE FROM {COUNTS} RETURNING facet, value, n) INSERT INTO {COUNTS}"
            " (facet, value, n) SELECT facet, value, SUM(n) FROM moved GROUP BY 1, 2 HAVING SUM(n) <> 0"
        )


def rebuild():
    """Every key and count computed again from the fiches (a migration, rebuild_search_index, a bulk
    deletion that went around the ORM)."""
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {KEYS}")
        cursor.execute(f"DELETE FROM {COUNTS}")
        cursor.execute(
            "WITH changed AS (SELECT id, scope, level FROM cooperations_cooperation"
            f" WHERE status = 'published') INSERT INTO {KEYS} (cooperation_id, facet, value) {_new_keys()}"
        )
        cursor.execute(
            f"INSERT INTO {COUNTS} (facet, value, n) SELECT facet, value, COUNT(*) FROM {KEYS} GROUP BY 1, 2"
        )


def read():
    """{facet: {value: number of published fiches}}, as facets.count_facets gives for the unfiltered
    list: the national fiches counted in every department."""
    counts = {}
    with connection.cursor() as cursor:
        cursor.execute(
            f"WITH counts AS (SELECT facet, value, SUM(n) AS n FROM {COUNTS} GROUP BY 1, 2 HAVING SUM(n) > 0)"
            f" SELECT facet, value, n FROM counts WHERE facet NOT IN ('department', '{NATIONAL}')"
            " UNION ALL SELECT 'department', d.code, COALESCE(c.n, 0) + everywhere.n"
            " FROM territories_department AS d CROSS JOIN (SELECT COALESCE(SUM(n), 0) AS n FROM counts"
            f" WHERE facet = '{NATIONAL}') AS everywhere LEFT JOIN counts AS c"
            " ON c.facet = 'department' AND c.value = d.code WHERE COALESCE(c.n, 0) + everywhere.n > 0"
        )
        for facet, value, n in cursor.fetchall():
            counts.setdefault(facet, {})[value] = n
    return counts
