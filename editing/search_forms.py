"""The period the workspace's search records are read over, and the synonym an editor adds from one."""

import datetime

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cooperations.models import Synonym
from cooperations.models.search_record import SEARCH_RECORD_MONTHS

LAST_7, LAST_30, CUSTOM = "7", "30", "dates"
# Records are kept 13 months: a longer period would show no more.
LONGEST_DAYS = 31 * SEARCH_RECORD_MONTHS


class PeriodForm(forms.Form):
    periode = forms.ChoiceField(
        label=_("Période"),
        choices=[
            (LAST_7, _("7 derniers jours")),
            (LAST_30, _("30 derniers jours")),
            (CUSTOM, _("du … au …")),
        ],
        initial=LAST_7,
        required=False,
        widget=forms.RadioSelect,
    )
    du = forms.DateField(label=_("Du"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    au = forms.DateField(label=_("Au"), required=False, widget=forms.DateInput(attrs={"type": "date"}))

    def clean(self):
        cleaned_data = super().clean()
        if cleaned_data.get("periode") == CUSTOM:
            start, end = cleaned_data.get("du"), cleaned_data.get("au")
            if not start or not end:
                raise forms.ValidationError(_("Indiquez les deux dates de la période."))
            if start > end:
                raise forms.ValidationError(_("La première date doit précéder la seconde."))
            if (end - start).days > LONGEST_DAYS:
                raise forms.ValidationError(
                    _("Une période de %(months)s mois au plus : les recherches plus anciennes sont effacées.")
                    % {"months": SEARCH_RECORD_MONTHS}
                )
        return cleaned_data

    def dates(self):
        """(first day, last day) of the period chosen; the last 7 days when the choice is unusable."""
        today = timezone.localdate()
        data = self.cleaned_data if self.is_valid() else {}
        choice = data.get("periode") or LAST_7
        if choice == CUSTOM:
            return data["du"], data["au"]
        return today - datetime.timedelta(days=int(choice) - 1), today


class SynonymForm(forms.ModelForm):
    class Meta:
        model = Synonym
        fields = ["terms"]
        widgets = {"terms": forms.TextInput(attrs={"autocomplete": "off"})}
