"""A document fiches are drawn from, as the workspace and the fiche editor create and change it."""

from django import forms
from django.utils.translation import gettext_lazy as _

from cooperations.models import Source


class SourceForm(forms.ModelForm):
    class Meta:
        model = Source
        fields = ["title", "publisher", "published_on", "published_year", "url"]
        widgets = {"published_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")}
        # Also shown inside the fiche editor, whose own « Titre » is the fiche's.
        labels = {"title": _("Intitulé du document")}
        help_texts = {
            "title": _("Le titre du document, tel qu'il sera cité en bas des fiches."),
            "publisher": _("Qui le publie : un réseau, un service de l'État, un journal…"),
            "published_on": _("Sa date, quand elle est connue ; sinon l'année ci-dessous."),
            "url": _("Où le lire en ligne, s'il l'est."),
        }

    def clean(self):
        cleaned_data = super().clean()
        date, year = cleaned_data.get("published_on"), cleaned_data.get("published_year")
        if date and year and date.year != year:
            self.add_error("published_year", _("L'année ne correspond pas à la date de publication."))
        if year and not 1900 <= year <= 2100:
            self.add_error("published_year", _("Indiquez une année entre 1900 et 2100."))
        return cleaned_data
