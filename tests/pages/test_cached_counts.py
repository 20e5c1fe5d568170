"""The directory's counts are cached (core/cache.py) and forgotten as soon as the directory changes."""

import pytest
from django.urls import reverse

from cooperations.models import Cooperation
from tests.factories import CooperationFactory, SectorFactory, StructureFactory, publish_many, real_places

pytestmark = pytest.mark.django_db
HOME = reverse("home")
LIST = reverse("cooperations:list")


def sector_counts(response):
    facet = next(facet for facet in response.context["facets"] if facet.name == "sector")
    return {option.value: option.count for option in facet.options}


def test_the_home_counts_are_read_once_then_from_the_cache(client, django_assert_num_queries):
    publish_many(30, departments=[real_places()["nord"]])
    client.get(HOME)
    # Only the latest fiches and their forms, departments and regions: the six counts are cached.
    with django_assert_num_queries(4):
        response = client.get(HOME)
    assert response.context["cooperation_count"] == 30


def test_the_unfiltered_list_reads_its_facet_counts_from_the_cache(client, django_assert_num_queries):
    publish_many(30, departments=[real_places()["nord"]])
    client.get(LIST)
    # The page and its 4 prefetches: the choice lists and the facets' counts (so the result count) are
    # cached.
    with django_assert_num_queries(5):
        response = client.get(LIST)
    assert response.context["page"].paginator.count == 30


def test_publishing_unpublishing_and_deleting_fiches_show_at_once_on_the_home_page(client):
    first = CooperationFactory(published=True)
    assert client.get(HOME).context["cooperation_count"] == 1
    second = CooperationFactory(published=True)
    assert client.get(HOME).context["cooperation_count"] == 2
    first.status = Cooperation.Status.DRAFT
    first.save()
    assert client.get(HOME).context["cooperation_count"] == 1
    second.delete()
    assert client.get(HOME).context["cooperation_count"] == 0


def test_a_new_link_or_participant_shows_at_once_in_the_list_facets_and_home_counts(client):
    fiche = CooperationFactory(published=True)
    food = SectorFactory(slug="alimentation")
    assert sector_counts(client.get(LIST)) == {}
    fiche.sectors.add(food)
    assert sector_counts(client.get(LIST)) == {"alimentation": 1}
    assert client.get(HOME).context["structure_count"] == 0
    fiche.participations.create(structure=StructureFactory())
    assert client.get(HOME).context["structure_count"] == 1


def test_a_filtered_list_is_never_served_from_the_cache(client):
    food = SectorFactory(slug="alimentation")
    CooperationFactory(published=True, sectors=[food])
    assert sector_counts(client.get(LIST)) == {"alimentation": 1}
    # A bulk write sends no signal: the cached unfiltered counts miss it, a filtered list does not.
    publish_many(1, sectors=[food])
    assert sector_counts(client.get(LIST)) == {"alimentation": 1}
    assert sector_counts(client.get(LIST, {"sector": "alimentation"})) == {"alimentation": 2}


def test_a_fiche_reads_its_similar_fiches_from_the_cache_until_a_neighbour_is_published(
    client, django_assert_num_queries
):
    sector = SectorFactory()
    fiche = CooperationFactory(published=True, sectors=[sector])
    CooperationFactory(published=True, title="Voisine", sectors=[sector])
    assert [c.title for c in client.get(fiche.get_absolute_url()).context["similar"]] == ["Voisine"]
    # The fiche and its 8 prefetches, the level sheet: the similar fiches come from the cache.
    with django_assert_num_queries(10):
        client.get(fiche.get_absolute_url())
    CooperationFactory(published=True, title="Nouvelle voisine", sectors=[sector])
    similar = [c.title for c in client.get(fiche.get_absolute_url()).context["similar"]]
    assert similar == ["Nouvelle voisine", "Voisine"]


def test_a_new_sector_can_be_filtered_on_at_once(client):
    CooperationFactory(published=True)
    client.get(LIST)  # caches the list's choices
    fiche = CooperationFactory(published=True, sectors=[SectorFactory(slug="textile")])
    response = client.get(LIST, {"sector": "textile"})
    assert response.context["warnings"] == []
    assert [card.pk for card in response.context["cooperations"]] == [fiche.pk]
