"""What changed between two versions of an object, as a person reads it: field by field, labels and values.

Shared by the admin's history page and the editors' workspace (history list, comparison of two versions).
"""

import datetime

from django.contrib.auth.base_user import AbstractBaseUser
from django.utils import formats, timezone
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from simple_history.models import DeletedObject
from simple_history.template_utils import HistoricalRecordContextHelper, ObjDiffDisplay

from .history import m2m_fields, m2m_snapshots

EMPTY = "—"
# Bookkeeping that changes on every save: not worth a line in the history.
BOOKKEEPING = ("version", "updated_at", "updated_by")


class ChangeFormatter(HistoricalRecordContextHelper):
    """Old and new values as a person reads them: choice labels, objects by name, a dash for empty."""

    def prepare_delta_change_value(self, change, value):
        field = self.model._meta.get_field(change.field)
        if value is None or value == "" or (isinstance(value, DeletedObject) and value.pk is None):
            return EMPTY
        if isinstance(value, DeletedObject):
            return _("%(model)s supprimé(e) (n° %(pk)s)") % {
                "model": value.model._meta.verbose_name,
                "pk": value.pk,
            }
        if field.choices:
            return dict(field.flatchoices).get(value, value)
        if isinstance(value, bool):
            return _("oui") if value else _("non")
        if isinstance(value, datetime.datetime):
            return formats.date_format(timezone.localtime(value), "DATETIME_FORMAT")
        if isinstance(value, AbstractBaseUser):
            return display_name(value)
        return super().prepare_delta_change_value(change, value)

    def get_obj_diff_display(self):
        return ObjDiffDisplay(max_length=160)


def display_name(user):
    """A person's full name, else their username; « un import » for what no account saved (the seed, a
    spreadsheet imported by command)."""
    if user is None:
        return _("un import")
    full_name = user.get_full_name() if hasattr(user, "get_full_name") else ""
    return full_name or user.get_username()


def change(label, old, new):
    return {"field": capfirst(label), "old": old or EMPTY, "new": new or EMPTY}


def join(items):
    return ", ".join(str(item) for item in items)


def annotate_changes(model, chain, excluded=BOOKKEEPING):
    """Set `history_delta_changes` on each record of `chain` (newest first) but the last: what changed
    since the record after it, own fields then many-to-many fields, in a query per many-to-many field.

    A chain of two records, [newer, older], compares any two versions.
    """
    fields = m2m_fields(model)
    snapshots = {field: m2m_snapshots(model, chain, field) for field in fields}
    excluded = [*excluded, *(field.name for field in fields)]
    for new, old in zip(chain, chain[1:], strict=False):
        delta = new.diff_against(old, excluded_fields=excluded, foreign_keys_are_objs=True)
        changes = ChangeFormatter(model, new).context_for_delta_changes(delta)
        for field in fields:
            before, after = snapshots[field][old.history_id], snapshots[field][new.history_id]
            if {o.pk for o in before} != {o.pk for o in after}:
                changes.append(change(field.verbose_name, join(before), join(after)))
        new.history_delta_changes = changes
