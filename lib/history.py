"""Versions of the objects edited as a whole (a fiche, a structure), on top of django-simple-history."""

from contextlib import contextmanager

from django.db import connection, transaction
from django.http import Http404, HttpResponsePermanentRedirect
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from simple_history import models as simple_history_models
from simple_history.utils import get_m2m_field_name as utils_field_name
from simple_history.utils import get_m2m_reverse_field_name

from .locking import ConcurrentEditError
from .sql import execute, in_ids


class HistoricalRecords(simple_history_models.HistoricalRecords):
    """simple-history's records, with two additions for objects that own other rows.

    - A save that also sets many-to-many fields and inlines can be recorded as one version
      (`one_version`), instead of one version per many-to-many field touched.
    - A deletion is dated before the cascade runs, so that the state "as of the deletion" still holds
      the participations the cascade removes next: a deleted fiche can be restored with them.
    """

    def contribute_to_class(self, cls, name):
        super().contribute_to_class(cls, name)
        cls._history_records = self

    def pre_delete(self, instance, **kwargs):
        super().pre_delete(instance, **kwargs)
        instance._history_date = timezone.now()

    def post_delete(self, instance, using=None, **kwargs):
        super().post_delete(instance, using=using, **kwargs)
        instance.__dict__.pop("_history_date", None)

    def m2m_changed(self, instance, action, attr, pk_set, reverse, model=None, **kwargs):
        """simple-history only knows the forward side: `department.cooperations.add(fiche)` would
        record `department` as if it were a fiche. From the reverse side, version each fiche touched."""
        if not reverse:
            return super().m2m_changed(instance, action, attr, pk_set, reverse, **kwargs)
        if action == "pre_clear":
            instance._history_cleared_pks = set(
                model._default_manager.filter(**{attr: instance}).values_list("pk", flat=True)
            )
            return None
        if action == "post_clear":
            pk_set = instance.__dict__.pop("_history_cleared_pks", set())
        elif action not in ("post_add", "post_remove"):
            return None
        for fiche in model._default_manager.filter(pk__in=pk_set or ()):
            super().m2m_changed(fiche, action, attr, pk_set, False, **kwargs)
        return None


def record_version(instance, history_type="~"):
    """Record the current state of `instance`, many-to-many fields included, as one version."""
    type(instance)._history_records.create_historical_record(instance, history_type)


@contextmanager
def one_version(instance, history_type="~"):
    """Record everything saved on `instance` inside the block as a single version, at the end.

    Nested blocks on the same instance belong to the outermost one.
    """
    if hasattr(instance, "skip_history_when_saving"):
        yield instance
        return
    instance.skip_history_when_saving = True
    try:
        yield instance
    finally:
        del instance.skip_history_when_saving
    record_version(instance, history_type)


def m2m_fields(model):
    """The many-to-many fields whose history is kept for `model`."""
    return list(model._history_records.get_m2m_fields_from_model(model))


def m2m_snapshot(record, field):
    """Primary keys of the objects `field` pointed to in the historical `record`."""
    target = get_m2m_reverse_field_name(field)
    return {row[f"{target}_id"] for row in getattr(record, field.name).values(f"{target}_id")}


def m2m_snapshots(model, records, field):
    """{history_id: [related objects]} of `field` for many historical records, in one query."""
    m2m_history_model = model._history_records.m2m_models[field]
    target = get_m2m_reverse_field_name(field)
    snapshots = {record.history_id: [] for record in records}
    rows = m2m_history_model.objects.filter(history_id__in=list(snapshots)).select_related(target)
    for row in rows.order_by(f"{target}_id"):
        snapshots[row.history_id].append(getattr(row, target))
    return snapshots


def child_states(child_records, dates):
    """{date: {pk: record}}: the rows alive at each of `dates`, replayed from their history records.

    Used for the rows a fiche owns (participations, figures), whose history is kept row by row.
    """
    pk_name = child_records[0].instance_type._meta.pk.attname if child_records else "id"
    pending = sorted(child_records, key=lambda r: (r.history_date, r.history_id))
    alive, states, position = {}, {}, 0
    for date in sorted(set(dates)):
        while position < len(pending) and pending[position].history_date <= date:
            record = pending[position]
            if record.history_type == "-":
                alive.pop(getattr(record, pk_name), None)
            else:
                alive[getattr(record, pk_name)] = record
            position += 1
        states[date] = dict(alive)
    return states


def renamed(queryset, slug):
    """The object of `queryset` that had `slug` before it was given another, or None.

    Its versions keep every slug it had: the latest version with this one names it; when that object
    was merged into another since, the other. An object holding the slug now is the caller's to look
    for first.
    """
    history = queryset.model.history
    pk_name = queryset.model._meta.pk.attname
    pk = history.filter(slug=slug).order_by("-history_date").values_list(pk_name, flat=True).first()
    if pk is None:
        return None
    # An object merged into another lives on as the other (Structure.successor_pk).
    successor = getattr(queryset.model, "successor_pk", None)
    if successor is not None:
        pk = successor(pk)
    return queryset.filter(pk=pk).exclude(slug=slug).first()


def moved_or_404(queryset, slug, view_name):
    """For an address not found: a permanent redirect to the new address of the object of `queryset`
    that had this slug before (see renamed), else Http404. The view takes the slug as its only argument."""
    moved = renamed(queryset, slug)
    if moved is None:
        raise Http404
    return HttpResponsePermanentRedirect(reverse(view_name, args=[moved.slug]))


def restore_fields(instance, record, exclude=()):
    """Copy the editable fields of the historical `record` onto `instance`, except `exclude`."""
    for field in instance._meta.concrete_fields:
        if field.primary_key or not field.editable or field.name in exclude:
            continue
        setattr(instance, field.attname, getattr(record, field.attname))


def restore_m2m(instance, record):
    """Set the many-to-many fields of `instance` as they were in `record`.

    Returns the labels of the objects that no longer exist and could not be linked again.
    """
    missing = []
    for field in m2m_fields(type(instance)):
        wanted = m2m_snapshot(record, field)
        target_model = field.remote_field.model
        existing = set(target_model._default_manager.filter(pk__in=wanted).values_list("pk", flat=True))
        getattr(instance, field.name).set(existing)
        missing += [f"{field.verbose_name} n° {pk}" for pk in sorted(wanted - existing)]
    return missing


@transaction.atomic
def restore_version(model, record, *, user, expected_version=None, exclude=(), children=None):
    """Bring the object of the historical `record` back to it, many-to-many fields included, as a new
    version; return what could not be brought back (objects deleted since), for the person to check.

    With `expected_version` (the version the person saw when they confirmed), an object saved since
    raises ConcurrentEditError instead of being overwritten. `children(instance, record, user, reason)`
    puts back the rows the object owns (a fiche's participations) and returns what it could not.
    """
    pk_name = model._meta.pk.attname
    instance = model._default_manager.select_for_update().get(pk=getattr(record, pk_name))
    if expected_version is not None and instance.version != expected_version:
        raise ConcurrentEditError(instance.pk)
    restore_fields(instance, record, exclude=exclude)
    if hasattr(instance, "updated_by"):
        instance.updated_by = user
    reason = restore_reason(record)
    instance._history_user = user
    instance._change_reason = reason
    with one_version(instance):
        instance.save()
        missing = restore_m2m(instance, record)
        if children:
            missing += children(instance, record, user, reason)
    return missing


def version_date(record):
    """To the second: two saves in the same minute are two versions a person must tell apart."""
    return formats.date_format(timezone.localtime(record.history_date), _("j F Y à H:i:s"))


def restore_reason(record):
    """The change reason recorded with a restore."""
    return _("Restauration de la version du %(date)s") % {"date": version_date(record)}


def record_rows_in_sql(model, pks, history_type, *, user=None):
    """One history record for each row of `model` in `pks`, written by one INSERT … SELECT from the
    rows as stored: for rows saved in bulk, without save() and its signals (spreadsheet imports).
    """
    pks = list(pks)
    if not pks:
        return
    history_model, date = model.history.model, timezone.now()
    table, history_table = model._meta.db_table, history_model._meta.db_table
    columns = [(history_model._meta.get_field(f.name).column, f.column) for f in history_model.tracked_fields]
    extra = ["history_date", "history_change_reason", "history_type", "history_user_id"]
    condition, ids = in_ids(model._meta.pk.column, pks)
    execute(
        f"INSERT INTO {history_table} ({', '.join([*(c for c, _ in columns), *extra])}) "
        f"SELECT {', '.join(source for _, source in columns)}, %s, %s, %s, %s FROM {table} WHERE {condition}",
        [connection.ops.adapt_datetimefield_value(date), "", history_type, getattr(user, "pk", None), *ids],
    )


def record_versions_in_sql(model, pks, history_type, *, user=None):
    """Like record_version() for many rows at once, many-to-many fields included: one INSERT … SELECT
    for the rows and one for each many-to-many field, whatever their number."""
    pks = list(pks)
    if not pks:
        return
    record_rows_in_sql(model, pks, history_type, user=user)
    history_model = model.history.model
    history_pk = history_model._meta.get_field(model._meta.pk.name).column
    for field in m2m_fields(model):
        m2m_history_model = model._history_records.m2m_models[field]
        through = field.remote_field.through
        source = through._meta.get_field(utils_field_name(field)).column
        columns = [(m2m_history_model._meta.get_field(f.name).column, f.column) for f in through._meta.fields]
        condition, ids = in_ids(f"t.{source}", pks)
        # Each link goes to the latest record of its owner, the one just written: the owner's row is
        # locked by this transaction or new in it, so no other version of it can be written meanwhile.
        # Found through the index of the records' `id`, whatever the statistics say (`+ 0` keeps
        # PostgreSQL from reading the whole primary key backwards to find the MAX).
        record = (
            f"SELECT MAX(h.history_id + 0) FROM {history_model._meta.db_table} h "
            f"WHERE h.{history_pk} = t.{source}"
        )
        execute(
            f"INSERT INTO {m2m_history_model._meta.db_table} "
            f"(history_id, {', '.join(c for c, _ in columns)}) "
            f"SELECT ({record}), {', '.join(f't.{c}' for _, c in columns)} "
            f"FROM {through._meta.db_table} t WHERE {condition}",
            ids,
        )
