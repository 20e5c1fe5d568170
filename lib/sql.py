"""Small SQL helpers for the bulk writes that go around the ORM (imports, history, clean-ups)."""

import json

from django.db import connection


def in_ids(column, ids):
    """(SQL condition, params): `column` is one of `ids`, with one parameter whatever their number.

    A list of placeholders would cost a parameter each (SQLite allows 32,766 a statement) and a slow
    parse of the statement by the driver; an array (PostgreSQL) or a JSON list (SQLite) costs one.
    """
    ids = list(ids)
    if connection.vendor == "postgresql":
        return f"{column} = ANY(%s)", [ids]
    return f"{column} IN (SELECT value FROM json_each(%s))", [json.dumps(ids)]


def execute(sql, params=()):
    """Run one statement; return the number of rows it wrote."""
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.rowcount
