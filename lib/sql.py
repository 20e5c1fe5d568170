"""Small SQL helpers for the bulk writes that go around the ORM (imports, history, clean-ups)."""

from django.db import connection
from django.db.models.expressions import RawSQL


def in_ids(column, ids):
    """(SQL condition, params): `column` is one of `ids`, with one parameter whatever their number.

    A list of placeholders would cost a parameter each and a slow parse of the statement by the driver;
    an array costs one.
    """
    ids = list(ids)
    return f"{column} = ANY(%s::{_array_type(ids)})", [_array(ids)]


def ids_subquery(ids):
    """`ids` as a subquery for `filter(pk__in=...)`, with one parameter whatever their number (see
    in_ids): for the look-ups of a thousand rows at a time of imports and exports."""
    ids = list(ids)
    return RawSQL(f"SELECT unnest(%s::{_array_type(ids)})", [_array(ids)])


def _array_type(ids):
    # Typed, so that PostgreSQL compares like with like and looks each row up in a hash of the ids:
    # as numeric[], Python's integers made it read the whole array for each row.
    return "bigint[]" if all(isinstance(pk, int) for pk in ids) else "text[]"


def _array(ids):
    """The parameter for an array of `ids`: integers as the text of a PostgreSQL array, which the
    driver sends as it is, where it checked and converted a list's every item (0.15 s of an export's
    110 look-ups of a thousand ids)."""
    if all(isinstance(pk, int) for pk in ids):
        return "{" + ",".join(map(str, ids)) + "}"
    return ids


def array_literal(values):
    """The text of a PostgreSQL array of `values` (None, numbers, booleans, texts, dates), each
    element quoted: passed as one text parameter, where the driver converted a list's items one by
    one in Python (0.9 s of the 10,000 fiches of a first import)."""
    return "{" + ",".join(map(_element, values)) + "}"


def _element(value):
    if value is None:
        return "NULL"
    text = value if isinstance(value, str) else str(value)
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def execute(sql, params=()):
    """Run one statement; return the number of rows it wrote."""
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.rowcount


def reserve_pks(model, count):
    """`count` primary keys drawn from `model`'s sequence, for rows written later in the
    transaction: the rows that point to them may be written first, since Django's foreign keys are
    checked at commit (DEFERRABLE INITIALLY DEFERRED)."""
    if not count:
        return []
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
            [model._meta.db_table, model._meta.pk.column, count],
        )
        return [pk for (pk,) in cursor.fetchall()]


def insert_rows(model, fields, rows, *, computed=None, joins=("", ())):
    """Insert `rows`, tuples of values for the fields named `fields`, into `model`'s table; return
    their primary keys in the same order. Nothing is validated and no signal is sent.

    One INSERT … SELECT FROM unnest() of one array per column: tens of thousands of link rows without
    building a model instance for each, which costs bulk_create most of its time. `computed` ({column:
    SQL expression}) fills more columns in the same statement, from the inserted values, read as
    `c.<column>`, and from `joins` (SQL, params) added to its FROM clause.
    """
    if not rows:
        return []
    columns = [model._meta.get_field(name) for name in fields]
    names = [column.column for column in columns]
    arrays = ", ".join(f"%s::{column.db_type(connection)}[]" for column in columns)
    computed = computed or {}
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {model._meta.db_table} ({', '.join([*names, *computed])}) "
            f"SELECT {', '.join(['c.*', *computed.values()])} FROM unnest({arrays}) AS c({', '.join(names)})"
            f"{joins[0]} RETURNING {model._meta.pk.column}",
            [*(array_literal(values) for values in zip(*rows, strict=True)), *joins[1]],
        )
        return [pk for (pk,) in cursor.fetchall()]
