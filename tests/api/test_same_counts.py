"""The API's fiches are the list page's, for every filter of the list's FilterSet: same count, same
first page. The test reads the FilterSet's own filters, so that a filter added to the list is checked
here too (and fails loudly if its kind of filter has no sample value below)."""

import django_filters
import pytest
from django.http import QueryDict
from django.urls import reverse

from cooperations.filters import CooperationFilter
from cooperations.models import Cooperation

SEARCHES = ["insertion", "recyclerie", "emmaus", '"chantier d\'insertion"', "zzzintrouvable"]
YEARS = ["2000", "2015", "2020"]
# A filter that only changes how another one reads: sampled with that other filter's values.
COMPANIONS = {"kinds": {"structure_kind": ["ACI", "EA"]}}


def sample_params():
    """(name, value, params): every choice of every choice filter, a few searches and years."""
    filterset = CooperationFilter(QueryDict(), queryset=Cooperation.objects.published())
    for name, field in filterset.filters.items():
        if name == "sort":
            continue
        choices = field.extra.get("choices")
        if isinstance(field, django_filters.ChoiceFilter | django_filters.MultipleChoiceFilter) and choices:
            for value, _label in choices:
                yield name, value, {**COMPANIONS.get(name, {}), name: value}
        elif isinstance(field, django_filters.CharFilter):
            for text in SEARCHES:
                yield name, text, {name: text}
        elif isinstance(field, django_filters.NumberFilter):
            for year in YEARS:
                yield name, year, {name: year}
        else:
            raise AssertionError(f"no sample value for the list's filter « {name} »: add one to this test")


def compare(client, params):
    page = client.get(reverse("cooperations:list"), params)
    api = client.get(reverse("api:cooperation-list"), params)
    assert api.status_code == 200, api.content[:300]
    expected = page.context["page"].paginator.count
    assert api.json()["count"] == expected, params
    assert [fiche["slug"] for fiche in api.json()["results"]] == [
        fiche.slug for fiche in page.context["cooperations"]
    ], params
    return expected


@pytest.mark.django_db
def test_every_filter_of_the_list_gives_the_same_fiches_in_the_api(client, seeded):
    seen = {}
    for name, value, params in sample_params():
        seen[(name, value)] = compare(client, params)
    for name, companion in COMPANIONS.items():  # the companion alone, the mode left at its default
        seen[(name, "")] = compare(client, companion)
    # The seed gives each kind of filter some values that select fiches, and some that select none.
    names = {name for name, _value in seen}
    assert {"q", "region", "department", "level", "form", "structure_kind", "sector"} <= names
    for name in names - {"year_max"}:
        counts = {count for (filter_name, _value), count in seen.items() if filter_name == name}
        assert len(counts) > 1, f"{name}: every sample gives {counts}"


@pytest.mark.django_db
@pytest.mark.parametrize(
    "params",
    [
        {},
        {"region": "32", "structure_kind": ["ACI", "AI"]},
        {"q": "insertion", "sort": "title"},
        {"level": "strategic", "year_min": "2010"},
        {"sort": "title", "page": "2"},
        {"sector": ["reemploi-recyclage", "alimentation"], "sort": "newest"},
    ],
)
def test_combined_filters_sorts_and_pages_give_the_same_fiches(client, seeded, params):
    compare(client, params)
