"""Deleting many fiches and structures in a few statements, their history included (bench_import).

An ORM delete of ten thousand fiches records a history row for each participation it cascades to and
rewrites the search data fiche by fiche, and leaves the fiches' own versions behind: minutes of work
that still leave the database changed. Here each table loses its rows in one DELETE.
"""

from django.db import transaction

from cooperations import facet_counts
from cooperations.models import Cooperation, Participation
from lib.history import m2m_fields
from lib.sql import execute, in_ids
from structures.models import Structure


def _owned(model, ids):
    """(table, condition, params) of the rows that belong to the objects `ids` of `model`, children
    first: the history of its many-to-many links, its versions, its many-to-many links."""
    history = model.history.model._meta.db_table
    pk = model._meta.pk.column
    records = in_ids(pk, ids)
    for field in m2m_fields(model):
        m2m_history = model._history_records.m2m_models[field]._meta.db_table
        yield m2m_history, f"history_id IN (SELECT history_id FROM {history} WHERE {records[0]})", records[1]
    yield (history, *records)
    for field in model._meta.many_to_many:
        through = field.remote_field.through
        source = through._meta.get_field(field.m2m_field_name()).column
        yield (through._meta.db_table, *in_ids(source, ids))


@transaction.atomic
def delete_in_bulk(fiche_ids, structure_ids):
    """Delete these fiches, these structures, the participations of the fiches and every version of
    them all. Returns the number of rows deleted."""
    facet_counts.refresh(fiche_ids, removed=True)
    participation = Participation._meta.db_table
    history = Participation.history.model._meta.db_table
    steps = [
        ("cooperations_similarfiches", *in_ids("cooperation_id", fiche_ids)),
        *_owned(Cooperation, fiche_ids),
        (history, *in_ids("cooperation_id", fiche_ids)),
        (participation, *in_ids("cooperation_id", fiche_ids)),
        (Cooperation._meta.db_table, *in_ids("id", fiche_ids)),
        *_owned(Structure, structure_ids),
        (Structure._meta.db_table, *in_ids("id", structure_ids)),
    ]
    return sum(
        execute(f"DELETE FROM {table} WHERE {condition}", params) for table, condition, params in steps
    )
