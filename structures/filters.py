"""Filters of the structure list. A value that is not valid is reported in French and left out."""

from operator import attrgetter

import django_filters
from django.utils.translation import gettext_lazy as _

from territories.models import Department, Region

from .models import Sector, Structure


class StructureFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Nom ou commune"), method="search", max_length=100, strip=True)
    kind = django_filters.ChoiceFilter(
        label=_("Type de structure"),
        choices=Structure.Kind.choices,
        empty_label=_("Tous les types"),
        error_messages={
            "invalid_choice": _("Type de structure inconnu : « %(value)s ». Ce filtre est ignoré.")
        },
    )
    region = django_filters.ModelChoiceFilter(
        label=_("Région"),
        field_name="department__region",
        queryset=Region.objects.order_by("search_name"),
        empty_label=_("Toutes les régions"),
        error_messages={"invalid_choice": _("Région inconnue : « %(value)s ». Ce filtre est ignoré.")},
    )
    department = django_filters.ModelChoiceFilter(
        label=_("Département"),
        queryset=Department.objects.order_by("code"),
        empty_label=_("Tous les départements"),
        error_messages={"invalid_choice": _("Département inconnu : « %(value)s ». Ce filtre est ignoré.")},
    )
    sector = django_filters.ModelChoiceFilter(
        label=_("Secteur d'activité"),
        field_name="sectors",
        to_field_name="slug",
        queryset=Sector.objects.all(),
        empty_label=_("Tous les secteurs"),
        error_messages={"invalid_choice": _("Secteur inconnu : « %(value)s ». Ce filtre est ignoré.")},
    )

    class Meta:
        model = Structure
        fields = []

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Region codes mean little to most people; department numbers are familiar.
        self.form.fields["region"].label_from_instance = attrgetter("name")
        self.form.fields["q"].widget.input_type = "search"

    def search(self, queryset, name, value):
        return queryset.search(value)

    @property
    def is_filtered(self):
        """True when at least one valid filter narrows the list."""
        if not self.is_bound or self.errors is None:
            return False
        return any(value not in (None, "") for value in self.form.cleaned_data.values())
