"""The directory's counts are cached (core/cache.py) and forgotten as soon as the directory changes."""

import pytest
from bs4 import BeautifulSoup
from django.urls import reverse

from cooperations.models import Cooperation
from lib.cache import directory_changed
from tests.factories import CooperationFactory, SectorFactory, StructureFactory, publish_many, real_places

pytestmark = pytest.mark.django_db
HOME = reverse("home")
LIST = reverse("cooperations:list")


def sector_counts(response):
    """The sector facet's counts as the page shows them (the facet block may come from the cache)."""
    soup = BeautifulSoup(response.content, "html.parser")
    return {
        box["value"]: int(box.find_parent("label").select_one(".facet-count").contents[0])
        for box in soup.select("#facets input[name=sector]")
    }


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
    # The choice lists, the facets' counts (so the result count), the page's ids and its cards are
    # cached.
    with django_assert_num_queries(0):
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


def test_a_filtered_list_is_cached_until_the_directory_changes(client):
    food = SectorFactory(slug="alimentation")
    CooperationFactory(published=True, sectors=[food])
    assert sector_counts(client.get(LIST)) == {"alimentation": 1}
    assert sector_counts(client.get(LIST, {"sector": "alimentation"})) == {"alimentation": 1}
    # A bulk write sends no signal (imports say themselves that the directory changed).
    publish_many(1, sectors=[food])
    assert sector_counts(client.get(LIST, {"sector": "alimentation"})) == {"alimentation": 1}
    directory_changed()
    assert sector_counts(client.get(LIST)) == {"alimentation": 2}
    assert sector_counts(client.get(LIST, {"sector": "alimentation"})) == {"alimentation": 2}


def test_a_fiche_reads_its_similar_fiches_from_the_cache_until_a_neighbour_is_published(
    client, django_assert_num_queries, django_capture_on_commit_callbacks
):
    sector = SectorFactory()
    fiche = CooperationFactory(published=True, sectors=[sector])
    CooperationFactory(published=True, title="Voisine", sectors=[sector])
    assert [c.title for c in client.get(fiche.get_absolute_url()).context["similar"]] == ["Voisine"]
    # Its row; its layout and its similar fiches come from the cache.
    with django_assert_num_queries(1):
        client.get(fiche.get_absolute_url())
    # The new fiche's neighbours are computed once it is saved, and theirs forgotten.
    with django_capture_on_commit_callbacks(execute=True):
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
