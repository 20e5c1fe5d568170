from django import forms
from django.utils.translation import gettext_lazy as _

from lib.history import version_date
from lib.history_changes import display_name
from proposals.services import PROPOSED_ONLINE


def author(record):
    """Who saved a version: an account's name, else where it came from (a proposal sent online, an
    import)."""
    if record.history_user_id:
        return display_name(record.history_user)
    if record.history_change_reason == str(PROPOSED_ONLINE):
        return _("une proposition en ligne")
    return display_name(None)


def version_label(record, number):
    """« Version 4 · 7 décembre 2026 à 09:10:42, par Inès Durand »: numbered, since a save and the
    publication that follows it can share their second."""
    return _("Version %(number)s · %(date)s, par %(who)s") % {
        "number": number,
        "date": version_date(record),
        "who": author(record),
    }


class VersionChoiceField(forms.ModelChoiceField):
    numbers = {}  # history_id: the version's number, 1 for the oldest (set by CompareForm)

    def label_from_instance(self, record):
        return version_label(record, self.numbers.get(record.history_id, "?"))


class CompareForm(forms.Form):
    """Two versions of one fiche, in either order: the older is shown first."""

    de = VersionChoiceField(
        queryset=None,
        label=_("Version"),
        error_messages={
            "required": _("Choisissez la première version à comparer."),
            "invalid_choice": _("Cette version n'appartient pas à l'historique de la fiche."),
        },
    )
    a = VersionChoiceField(
        queryset=None,
        label=_("comparée à"),
        error_messages={
            "required": _("Choisissez la seconde version à comparer."),
            "invalid_choice": _("Cette version n'appartient pas à l'historique de la fiche."),
        },
    )

    def __init__(self, *args, versions, **kwargs):
        super().__init__(*args, **kwargs)
        ids = versions.order_by("history_date", "history_id").values_list("history_id", flat=True)
        self.numbers = {history_id: number for number, history_id in enumerate(ids, start=1)}
        for field in self.fields.values():
            field.queryset = versions
            field.numbers = self.numbers

    def clean(self):
        cleaned_data = super().clean()
        first, second = cleaned_data.get("de"), cleaned_data.get("a")
        if first and second:
            if first.pk == second.pk:
                raise forms.ValidationError(_("Choisissez deux versions différentes."), code="same")
            older, newer = sorted((first, second), key=lambda r: (r.history_date, r.history_id))
            cleaned_data["older"], cleaned_data["newer"] = older, newer
        return cleaned_data
