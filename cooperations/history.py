"""A fiche's versions read as a whole: what changed in its participations and figures, and the fiche as a
version would make it, for the history pages of the admin and of the workspace."""

from django.utils.translation import gettext as _

from lib.history import child_states, m2m_fields, m2m_snapshots, restore_fields
from lib.history_changes import BOOKKEEPING, annotate_changes, change, join
from structures.models import Structure
from territories.models import Department

from .models import Cooperation, OutcomeFigure, Participation
from .services import NOT_RESTORED


def annotate_fiche_changes(records, excluded=BOOKKEEPING):
    """Set `history_delta_changes` on each of `records` (one fiche's versions, newest first) but the
    last: its own fields, its many-to-many fields, its participations and its figures.

    [newer, older] compares any two versions; [restored, current] says what a restore would change.
    """
    if not records:
        return
    annotate_changes(Cooperation, records, excluded)
    add_children_changes(records)


def restore_changes(current, record):
    """What restoring `record` would change in the fiche whose latest version is `current`."""
    if current.pk == record.pk:
        return []
    annotate_fiche_changes([record, current], excluded=(*BOOKKEEPING, *NOT_RESTORED))
    return record.history_delta_changes


def add_children_changes(records):
    """Add to each record what changed in its participations and figures since the one after it."""
    dates = [record.history_date for record in records]
    newest = max(dates)
    cooperation_id = records[0].id
    participations = list(
        Participation.history.filter(cooperation_id=cooperation_id, history_date__lte=newest)
    )
    figures = list(OutcomeFigure.history.filter(cooperation_id=cooperation_id, history_date__lte=newest))
    structures = Structure.objects.in_bulk({p.structure_id for p in participations})
    roles = dict(Participation.Role.choices)

    def participation_label(p):
        structure = structures.get(p.structure_id)
        name = structure.name if structure else _("structure supprimée (n° %(id)s)") % {"id": p.structure_id}
        return f"{name} ({roles.get(p.role, p.role)})"

    def figure_label(f):
        return str(OutcomeFigure(value=f.value, unit=f.unit, label=f.label))

    for kind, rows, label in (
        (_("participations"), participations, participation_label),
        (_("chiffres clés"), figures, figure_label),
    ):
        states = child_states(rows, dates)
        for new, old in zip(records, records[1:], strict=False):
            before = {label(r) for r in states[old.history_date].values()}
            after = {label(r) for r in states[new.history_date].values()}
            if before != after:
                new.history_delta_changes.append(
                    change(kind, join(sorted(before - after)), join(sorted(after - before)))
                )


def cooperation_restored(cooperation, record):
    """`cooperation` as restoring `record` would make it, unsaved, for the public fiche's template.

    Its relations are read as of the version (what cooperation_restore writes back) and set as if
    prefetched, so the template reads them without a query: one query per relation, as for_detail().
    """
    restored = Cooperation.objects.get(pk=cooperation.pk)  # a copy: the caller's object stays as it is
    restore_fields(restored, record, exclude=NOT_RESTORED)
    related = {}
    for field in m2m_fields(Cooperation):
        # An object deleted since is left out, as the restore leaves it out.
        related[field.name] = [o for o in m2m_snapshots(Cooperation, [record], field)[record.history_id] if o]
    if related["communes"]:  # the fiche names each commune's department: one query for all
        departments = Department.objects.in_bulk({commune.department_id for commune in related["communes"]})
        for commune in related["communes"]:
            commune.department = departments[commune.department_id]
    old_participations = list(_participations_as_of(record))
    structures = Structure.objects.select_related("commune").in_bulk(
        {p.structure_id for p in old_participations}
    )
    roles = [role for role, _label in Participation.Role.choices]
    related["participations"] = sorted(
        (
            Participation(cooperation=restored, structure=structures[old.structure_id], role=old.role)
            for old in old_participations
            if old.structure_id in structures  # a structure deleted since cannot come back
        ),
        key=lambda p: (roles.index(p.role), p.structure.name),
    )
    related["figures"] = [
        OutcomeFigure(value=f.value, unit=f.unit, label=f.label, position=f.position)
        for f in OutcomeFigure.history.as_of(record.history_date)
        .filter(cooperation_id=cooperation.pk)
        .order_by("position", "pk")
    ]
    restored._prefetched_objects_cache = {name: _cached(rows) for name, rows in related.items()}
    return restored


def _participations_as_of(record):
    return Participation.history.as_of(record.history_date).filter(cooperation_id=record.id)


def _cached(rows):
    """A queryset answering with `rows`, as prefetch_related leaves one in the object's cache."""
    queryset = Cooperation.objects.none()
    queryset._result_cache = list(rows)
    queryset._prefetch_done = True
    return queryset
