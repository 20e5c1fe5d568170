"""Copy a local SQLite database of the site (the embedded default before PostgreSQL) into the current
database, table by table, keeping every row's id.

Every model's rows are read through Django's SQLite backend, so that each value comes back as the
Python object its field holds (booleans, dates, JSON…), and written with the field's own conversion
for PostgreSQL. The target's rows are replaced, in one transaction: the foreign keys, deferred until
the commit, are checked once everything is there. The SQLite file may be older than the code: a
column it lacks takes the field's default, a table it lacks is left empty.
"""

from dataclasses import dataclass, field

from django.apps import apps
from django.core.management.color import no_style
from django.db import connection, connections, transaction
from django.db.backends.sqlite3.base import DatabaseWrapper as SQLiteWrapper

ALIAS = "sqlite_import"
BATCH = 2000


@dataclass
class Copy:
    rows: dict = field(default_factory=dict)  # table -> rows copied
    missing_tables: list = field(default_factory=list)
    missing_columns: list = field(default_factory=list)  # "table.column" filled with the default

    @property
    def total(self):
        return sum(self.rows.values())


def open_sqlite(path):
    """Register the SQLite file under ALIAS, read-only, for querysets' .using(ALIAS)."""
    settings_dict = connections.configure_settings(
        {"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": f"file:{path}?mode=ro"}}
    )["default"]
    settings_dict["OPTIONS"] = {"uri": True}
    connections[ALIAS] = SQLiteWrapper(settings_dict, alias=ALIAS)
    return connections[ALIAS]


def copied_models():
    """Every table the site keeps, history and link tables included."""
    return [
        model
        for model in apps.get_models(include_auto_created=True)
        if model._meta.managed and not model._meta.proxy
    ]


def skipped_fields(model):
    # The fiches' search data is computed by PostgreSQL from the rest (rebuild_search_index).
    return set(getattr(model, "SEARCH_DATA_FIELDS", ()))


def count_rows(source):
    """{table: rows} in the SQLite file, for a dry run."""
    tables = set(source.introspection.table_names())
    return {
        model._meta.db_table: model._base_manager.using(ALIAS).count()
        for model in copied_models()
        if model._meta.db_table in tables
    }


def copy_database(source):
    """Replace the current database's rows by the SQLite file's; returns what was copied."""
    report = Copy()
    models = copied_models()
    tables = set(source.introspection.table_names())
    with transaction.atomic(), connection.cursor() as cursor:
        for statement in connection.ops.sql_flush(
            no_style(), [model._meta.db_table for model in models], allow_cascade=True
        ):
            cursor.execute(statement)
        for model in models:
            table = model._meta.db_table
            if table not in tables:
                report.missing_tables.append(table)
                continue
            report.rows[table] = _copy_table(source, cursor, model, report)
        for statement in connection.ops.sequence_reset_sql(no_style(), models):
            cursor.execute(statement)
    return report


def _copy_table(source, cursor, model, report):
    with source.cursor() as source_cursor:
        description = source.introspection.get_table_description(source_cursor, model._meta.db_table)
    columns = {column.name for column in description}
    skipped = skipped_fields(model)
    fields = model._meta.concrete_fields
    present = [f for f in fields if f.column in columns and f.name not in skipped]
    absent = [f for f in fields if f.column not in columns and f.name not in skipped]
    report.missing_columns += [f"{model._meta.db_table}.{f.column}" for f in absent]
    absent += [f for f in fields if f.name in skipped]
    quoted = ", ".join(connection.ops.quote_name(f.column) for f in present + absent)
    statement = (
        f"INSERT INTO {connection.ops.quote_name(model._meta.db_table)} ({quoted}) "
        f"VALUES ({', '.join(['%s'] * len(fields))})"
    )
    defaults = [f.get_db_prep_save(f.get_default(), connection) for f in absent]
    rows = model._base_manager.using(ALIAS).order_by().values_list(*[f.attname for f in present])
    batch, copied = [], 0
    for values in rows.iterator(chunk_size=BATCH):
        prepared = [f.get_db_prep_save(value, connection) for f, value in zip(present, values, strict=True)]
        batch.append(prepared + defaults)
        if len(batch) == BATCH:
            cursor.executemany(statement, batch)
            copied, batch = copied + len(batch), []
    if batch:
        cursor.executemany(statement, batch)
        copied += len(batch)
    return copied
