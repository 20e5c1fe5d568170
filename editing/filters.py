"""Filters of the workspace's structure list (/espace/structures/). A value not understood is reported
in French and left out, as on the public list."""

import django_filters
from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from cooperations import stats
from structures.duplicates import possible_duplicate_ids
from structures.filters import StructureFilter


class TickBox(forms.CheckboxInput):
    """A box that narrows the list when ticked (`?without_siret=1`) and leaves it whole otherwise."""

    def value_from_datadict(self, data, files, name):
        return True if data.get(name, "").lower() in ("1", "on", "true") else None


class StructureWorkspaceFilter(StructureFilter):
    """The public list's filters, over every structure, with what the team looks for besides: the gaps to
    fill and the likely duplicates; the search also finds a SIRET."""

    without_contact = django_filters.BooleanFilter(
        label=_("Sans coordonnées"), method="filter_without_contact", widget=TickBox
    )
    without_siret = django_filters.BooleanFilter(
        label=_("Sans SIRET"), field_name="siret", lookup_expr="isnull", widget=TickBox
    )
    duplicates = django_filters.BooleanFilter(
        label=_("Doublons possibles"), method="filter_duplicates", widget=TickBox
    )
    published = django_filters.BooleanFilter(
        label=_("Dans une fiche publiée"), method="filter_published", widget=TickBox
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.form.fields["q"].label = _("Nom, commune ou SIRET")
        self.form.fields["department"].label_from_instance = lambda d: f"{d.code} · {d.name}"

    def search(self, queryset, name, value):
        digits = value.replace(" ", "")
        if digits.isdigit() and len(digits) >= 9:
            return queryset.filter(siret__startswith=digits)
        return super().search(queryset, name, value)

    def filter_without_contact(self, queryset, name, value):
        contact = ~Q(website="") | ~Q(email="") | ~Q(phone="") | ~Q(address="")
        return queryset.exclude(contact) if value else queryset.filter(contact)

    def filter_duplicates(self, queryset, name, value):
        duplicates = possible_duplicate_ids()
        return queryset.filter(pk__in=duplicates) if value else queryset.exclude(pk__in=duplicates)

    def filter_published(self, queryset, name, value):
        taking_part = stats.structures_taking_part().values("pk")
        return queryset.filter(pk__in=taking_part) if value else queryset.exclude(pk__in=taking_part)
