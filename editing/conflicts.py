"""A save refused because a colleague saved first: what differs, field by field, and the choices made.

Shared by the editors of fiches and of structures: each names its fields (`fields`) and, for a fiche,
its lists of rows (participations, figures), compared as lists.

Each differing field is shown twice, « votre version » beside the saved one; the editor keeps either.
The choice travels as `conflict-<field>` = "mine" or "theirs"; "theirs" puts the saved value back into
the submitted data before the form reads it, so that nothing typed is lost until the editor says so.
"""

from dataclasses import dataclass

from django.db import models
from django.utils.formats import date_format
from django.utils.timezone import localtime
from django.utils.translation import gettext_lazy as _

from cooperations.models import OutcomeFigure, Participation
from lib.history_changes import display_name

from .forms import EDITED_FIELDS

MINE, THEIRS = "mine", "theirs"

# The rows of the fiche, compared as lists: (label, the fields a row is written with).
ROWS = {
    "participations": (_("Qui coopère"), ["structure", "role"]),
    "figures": (_("Chiffres à comparer"), ["value", "unit", "label", "position"]),
}


@dataclass
class FieldConflict:
    name: str
    label: str
    mine: str
    theirs: str


@dataclass
class Conflict:
    fields: list
    saved_by: str
    saved_at: str


def _normalise(value):
    if isinstance(value, str):
        return value.replace("\r\n", "\n").strip()
    return value


def _saved_value(instance, name):
    model_field = instance._meta.get_field(name)
    if model_field.many_to_many:
        return set(getattr(instance, model_field.name).all())
    if model_field.many_to_one:
        return getattr(instance, model_field.name)  # the object, as the form's cleaned data holds it
    return _normalise(getattr(instance, model_field.attname))


def _display(model_field, form_field, value):
    if isinstance(value, set | list | tuple | models.QuerySet):
        labels = sorted(form_field.label_from_instance(item) for item in value)
        return ", ".join(labels)
    if value in (None, ""):
        return ""
    if model_field.choices:
        return str(dict(model_field.flatchoices).get(value, value))
    return str(value)


def _row_label(prefix, values):
    if prefix == "participations":
        return str(Participation(structure=values["structure"], role=values["role"]))
    return str(OutcomeFigure(value=values["value"], unit=values["unit"], label=values["label"]))


def _saved_rows(current, prefix):
    if prefix == "participations":
        return list(current.participations.select_related("structure").in_role_order())
    return list(current.figures.all())


def _typed_rows(formset):
    """The rows as typed, left out those marked for removal; None when one of them is invalid."""
    if not formset.is_valid():
        return None
    return sorted(
        _row_label(formset.prefix, row.cleaned_data)
        for row in formset.forms
        if row.cleaned_data and not row.cleaned_data.get("DELETE")
    )


def find_conflict(form, current, *, fields=EDITED_FIELDS, formsets=()):
    """The `fields` and lists of rows where the refused `form` and `formsets` differ from `current`, the
    object as saved now."""
    differing = []
    for name in fields:
        field = form.fields[name]
        model_field = current._meta.get_field(name)
        theirs = _saved_value(current, name)
        if name in form.cleaned_data:
            mine = form.cleaned_data[name]
            mine = set(mine) if model_field.many_to_many else _normalise(mine)
        else:
            mine = _normalise(form[name].data)  # invalid as typed: shown as typed
        if name == "slug" and not mine:
            continue  # left empty, the address is kept
        if mine != theirs and not (mine in (None, "") and theirs in (None, "")):
            differing.append(
                FieldConflict(
                    name=name,
                    label=str(field.label),
                    mine=_display(model_field, field, mine),
                    theirs=_display(model_field, field, theirs),
                )
            )
    for formset in formsets:
        label, _fields = ROWS[formset.prefix]
        mine = _typed_rows(formset)
        theirs = sorted(str(row) for row in _saved_rows(current, formset.prefix))
        if mine is not None and mine != theirs:
            differing.append(
                FieldConflict(
                    name=formset.prefix, label=str(label), mine="\n".join(mine), theirs="\n".join(theirs)
                )
            )
    saved_at = localtime(current.updated_at)
    return Conflict(
        fields=differing,
        saved_by=display_name(current.updated_by),
        saved_at=date_format(saved_at, "H:i"),
    )


def apply_choices(data, current, *, fields=EDITED_FIELDS):
    """`data` (a QueryDict) with the saved value of each field the editor chose to take from `current`."""
    data = data.copy()
    for name in fields:
        if data.get(f"conflict-{name}") != THEIRS:
            continue
        model_field = current._meta.get_field(name)
        if model_field.many_to_many:
            data.setlist(name, [str(pk) for pk in getattr(current, name).values_list("pk", flat=True)])
        else:
            value = getattr(current, model_field.attname)
            data[name] = "" if value is None else str(value)
    for prefix, (_label, fields) in ROWS.items():
        if data.get(f"conflict-{prefix}") == THEIRS:
            _replace_rows(data, prefix, _saved_rows(current, prefix), fields)
    return data


def _replace_rows(data, prefix, rows, fields):
    """Put the saved `rows` in the place of the typed ones, as the formset reads them."""
    for key in [key for key in data if key.startswith(f"{prefix}-")]:
        del data[key]
    data[f"{prefix}-TOTAL_FORMS"] = data[f"{prefix}-INITIAL_FORMS"] = str(len(rows))
    for index, row in enumerate(rows):
        data[f"{prefix}-{index}-id"] = str(row.pk)
        for field in fields:
            value = getattr(row, row._meta.get_field(field).attname)
            data[f"{prefix}-{index}-{field}"] = "" if value is None else str(value)
