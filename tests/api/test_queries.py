"""Each page of the API runs a fixed number of queries, however many fiches or links it shows.

The rate limit is off here (tests/api/conftest.py): in the tests its counts live in a database table,
in production in Redis.
"""

import pytest
from django.urls import reverse

from cooperations.models import Participation
from cooperations.search import refresh_search_index
from tests.factories import (
    CooperationFactory,
    CooperationFormFactory,
    OutcomeFigureFactory,
    SectorFactory,
    SourceFactory,
    StructureFactory,
    publish_many,
    real_places,
)

pytestmark = pytest.mark.django_db


def make_fiches(count):
    places = real_places()
    publish_many(
        count,
        departments=[places["nord"], places["rhone"]],
        regions=[places["hdf"]],
        forms=[CooperationFormFactory(), CooperationFormFactory()],
        sectors=[SectorFactory()],
        structures=[StructureFactory(), StructureFactory(kind="EI")],
    )


@pytest.mark.parametrize("count", [20, 200])
def test_the_list_runs_the_same_queries_for_20_or_200_fiches(client, django_assert_num_queries, count):
    make_fiches(count)
    url = reverse("api:cooperation-list")
    client.get(url)  # the filters' choice lists, cached until the directory changes
    # The count, the page, and 4 prefetches (forms, departments, regions, participations with their
    # structures).
    with django_assert_num_queries(6):
        response = client.get(url, {"region": "32", "structure_kind": ["ACI", "EI"], "page_size": 100})
    assert len(response.json()["results"]) == min(count, 100)


@pytest.mark.parametrize("count", [20, 200])
def test_a_search_runs_the_same_queries_for_20_or_200_fiches(client, django_assert_num_queries, count):
    make_fiches(count)
    refresh_search_index()
    url = reverse("api:cooperation-list")
    client.get(url, {"q": "autre"})  # the choice lists and the search's synonyms, cached
    # The same 6, and one: does some fiche hold every word (else the forgiving search steps in)?
    with django_assert_num_queries(7):
        response = client.get(url, {"q": "fiche"})
    assert response.json()["count"] == count


@pytest.mark.parametrize("links", [1, 8])
def test_the_detail_runs_the_same_queries_for_1_or_8_of_each_link(client, django_assert_num_queries, links):
    places = real_places()
    fiche = CooperationFactory(
        published=True,
        forms=CooperationFormFactory.create_batch(links),
        sectors=SectorFactory.create_batch(links),
        departments=[places["nord"], places["rhone"], places["guadeloupe"]][: min(links, 3)],
        regions=[places["hdf"]],
        sources=SourceFactory.create_batch(links),
        participants=[(s, Participation.Role.PARTNER) for s in StructureFactory.create_batch(links)],
    )
    OutcomeFigureFactory.create_batch(links, cooperation=fiche)
    # The fiche, then its forms, sectors, regions, departments (with their regions), communes,
    # participations (with structures and communes), figures and sources: 9.
    with django_assert_num_queries(9):
        response = client.get(reverse("api:cooperation-detail", args=[fiche.slug]))
    assert len(response.json()["participants"]) == links


@pytest.mark.parametrize("count", [5, 50])
@pytest.mark.parametrize("name", ["structure-list", "data-inclusion-structure-list"])
def test_the_structure_lists_run_the_same_queries_for_5_or_50(client, django_assert_num_queries, name, count):
    places = real_places()
    structures = StructureFactory.create_batch(count, department=places["nord"])
    publish_many(2, structures=structures[:3])
    # The count, the page (with communes, departments), their sectors and their networks.
    with django_assert_num_queries(4):
        response = client.get(reverse(f"api:{name}"), {"page_size": 100})
    assert response.json()["count"] == count


@pytest.mark.parametrize(
    ("name", "queries"),
    [("form-list", 1), ("sector-list", 1), ("region-list", 1), ("department-list", 1), ("level-list", 2)],
)
def test_each_reference_list_is_read_in_one_query(client, django_assert_num_queries, name, queries):
    make_fiches(5)
    # The rows with their counts of published fiches; the levels read their sheets, then their counts.
    with django_assert_num_queries(queries):
        response = client.get(reverse(f"api:{name}"))
    assert response.json()


@pytest.mark.parametrize("links", [1, 6])
def test_a_structure_runs_the_same_queries_for_1_or_6_sectors(client, django_assert_num_queries, links):
    structure = StructureFactory()
    structure.sectors.set(SectorFactory.create_batch(links))
    # The structure (with its commune, department), its sectors, its networks.
    with django_assert_num_queries(3):
        response = client.get(reverse("api:structure-detail", args=[structure.slug]))
    assert len(response.json()["sectors"]) == links
