"""A region and one of its departments chosen together give the department's fiches, as the department
alone does: national and regional fiches included, with the same facet counts."""

import pytest
from django.http import QueryDict
from django.urls import reverse

from cooperations.filters import CooperationFilter
from cooperations.models import Cooperation
from territories.models import Department

URL = reverse("cooperations:list")


@pytest.fixture
def seed(seeded, db):
    return seeded


def ids(**params):
    data = QueryDict(mutable=True)
    data.update(params)
    filterset = CooperationFilter(data, queryset=Cooperation.objects.published())
    return set(filterset.qs.values_list("pk", flat=True))


def test_every_region_with_one_of_its_departments_gives_the_department_alone(seed):
    pairs = list(Department.objects.values_list("region_id", "code"))
    assert len(pairs) == 101
    differing = [
        (region, department)
        for region, department in pairs
        if ids(region=region, department=department) != ids(department=department)
    ]
    assert differing == []


def test_occitanie_and_ariege_show_the_national_fiches_as_ariege_does(client, seed):
    together = client.get(URL, {"region": "76", "department": "09"})
    alone = client.get(URL, {"department": "09"})
    assert together.context["page"].paginator.count == alone.context["page"].paginator.count == 5
    titles = {card.title for card in together.context["cooperations"]}
    assert titles == {card.title for card in alone.context["cooperations"]}
    assert any(title.startswith("Zest'") for title in titles)  # national


def test_the_department_options_count_what_choosing_them_gives(client, seed):
    response = client.get(URL, {"region": "76"})
    facets = {facet.name: facet for facet in response.context["facets"]}
    counts = {option.value: option.count for option in facets["department"].options}
    assert counts["09"] == 5
    for code, count in counts.items():
        assert count == len(ids(region="76", department=code)), code


def test_the_region_option_of_a_chosen_department_counts_the_department(client, seed):
    response = client.get(URL, {"department": "09"})
    facets = {facet.name: facet for facet in response.context["facets"]}
    counts = {option.value: option.count for option in facets["region"].options}
    assert counts["76"] == 5 == response.context["page"].paginator.count


def test_a_department_outside_the_chosen_region_still_narrows_it(seed):
    # Ariège is not in Bretagne, and national fiches belong to no region: nothing belongs to both.
    assert ids(region="53", department="09") == set()
