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


class VersionChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, record):
        return _("%(date)s, par %(who)s") % {"date": version_date(record), "who": author(record)}


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
        for field in self.fields.values():
            field.queryset = versions

    def clean(self):
        cleaned_data = super().clean()
        first, second = cleaned_data.get("de"), cleaned_data.get("a")
        if first and second:
            if first.pk == second.pk:
                raise forms.ValidationError(_("Choisissez deux versions différentes."), code="same")
            older, newer = sorted((first, second), key=lambda r: (r.history_date, r.history_id))
            cleaned_data["older"], cleaned_data["newer"] = older, newer
        return cleaned_data
