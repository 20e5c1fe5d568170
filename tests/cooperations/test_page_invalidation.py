"""A fiche saved from the editor forgets the whole pages its change can alter, not the others
(cooperations/dependencies.py, lib/page_cache.py)."""

import pytest
from bs4 import BeautifulSoup
from django.test import Client
from django.urls import reverse

from cooperations.models import Cooperation
from tests.editing.helpers import edit_data
from tests.factories import CooperationFactory, DepartmentFactory, RegionFactory, UserFactory

pytestmark = pytest.mark.django_db
LIST = reverse("cooperations:list")


@pytest.fixture(autouse=True)
def page_cache(settings):
    settings.PAGE_CACHE_SECONDS = 300


@pytest.fixture
def places():
    north = RegionFactory(code="32", name="Hauts-de-France")
    south = RegionFactory(code="76", name="Occitanie")
    return {
        "north": north,
        "south": south,
        "nord": DepartmentFactory(code="59", name="Nord", region=north),
        "gard": DepartmentFactory(code="30", name="Gard", region=south),
    }


@pytest.fixture
def fiches(places):
    return {
        "north": CooperationFactory(published=True, title="Légumerie du Nord", regions=[places["north"]]),
        "south": CooperationFactory(published=True, title="Recyclerie du Gard", departments=[places["gard"]]),
    }


@pytest.fixture
def editor_client():
    """An Éditeur signed in on a client of their own: the visitor's `client` stays anonymous."""
    other = Client()
    other.force_login(UserFactory(editor=True))
    return other


def save(editor_client, fiche, **changes):
    """Save `fiche` in the workspace's editor, as an Éditeur does."""
    url = reverse("editing:cooperation_edit", args=[fiche.pk])
    response = editor_client.post(url, edit_data(editor_client, fiche, action="publish", **changes))
    assert response.status_code == 302, response.content[:2000]


def titles(response):
    soup = BeautifulSoup(response.content, "html.parser")
    return sorted(link.get_text(strip=True) for link in soup.select("article h3 a, article h2 a"))


def still_cached(client, address, django_assert_num_queries):
    """The page comes from the page cache: not a single query."""
    with django_assert_num_queries(0):
        return client.get(address)


def test_a_new_title_forgets_the_lists_showing_the_fiche_and_keeps_the_others(
    client, editor_client, fiches, django_assert_num_queries
):
    north_list, south_list = f"{LIST}?region=32", f"{LIST}?region=76"
    gard_list, nord_list = f"{LIST}?department=30", f"{LIST}?department=59"
    for address in (north_list, south_list, gard_list, nord_list, LIST):
        client.get(address)

    save(editor_client, fiches["north"], title="Conserverie du Nord")

    still_cached(client, south_list, django_assert_num_queries)
    still_cached(client, gard_list, django_assert_num_queries)
    assert titles(client.get(north_list)) == ["Conserverie du Nord"]
    # A region's fiche counts in its departments' lists.
    assert titles(client.get(nord_list)) == ["Conserverie du Nord"]
    assert titles(client.get(LIST)) == ["Conserverie du Nord", "Recyclerie du Gard"]


def test_a_new_region_forgets_both_regions_lists(client, editor_client, fiches, places):
    north_list, south_list = f"{LIST}?region=32", f"{LIST}?region=76"
    assert titles(client.get(north_list)) == ["Légumerie du Nord"]
    assert titles(client.get(south_list)) == ["Recyclerie du Gard"]

    save(editor_client, fiches["north"], regions=[places["south"].pk])

    assert titles(client.get(north_list)) == []
    assert titles(client.get(south_list)) == ["Légumerie du Nord", "Recyclerie du Gard"]


def test_a_body_edit_forgets_its_page_and_searches_not_the_lists_nor_other_fiches(
    client, editor_client, fiches, django_assert_num_queries
):
    north, south = fiches["north"], fiches["south"]
    search = f"{LIST}?q=composteur"
    for address in (LIST, f"{LIST}?region=32", north.get_absolute_url(), south.get_absolute_url(), search):
        client.get(address)
    assert titles(client.get(search)) == []

    save(editor_client, north, context="Un composteur partagé par trois ACI.")

    still_cached(client, LIST, django_assert_num_queries)
    still_cached(client, f"{LIST}?region=32", django_assert_num_queries)
    still_cached(client, south.get_absolute_url(), django_assert_num_queries)
    page = BeautifulSoup(client.get(north.get_absolute_url()).content, "html.parser")
    assert "Un composteur partagé par trois ACI." in page.get_text()
    assert titles(client.get(search)) == ["Légumerie du Nord"]


def test_a_fiche_unpublished_forgets_every_list(client, editor_client, fiches):
    south_list = f"{LIST}?region=76"
    assert titles(client.get(f"{LIST}?region=32")) == ["Légumerie du Nord"]
    assert region_counts(client.get(south_list)) == {"32": "1", "76": "1"}
    url = reverse("editing:cooperation_edit", args=[fiches["north"].pk])
    editor_client.post(url, edit_data(editor_client, fiches["north"], action="unpublish_confirmed"))
    assert titles(client.get(f"{LIST}?region=32")) == []
    # Another region's list counts the fiches of every region in its facet: it changed too.
    assert region_counts(client.get(south_list)).get("32", "0") == "0"


def test_a_save_outside_the_editor_still_forgets_every_page(client, fiches):
    south_list = f"{LIST}?region=76"
    assert titles(client.get(south_list)) == ["Recyclerie du Gard"]
    fiches["south"].title = "Ressourcerie du Gard"
    fiches["south"].save()  # the admin, a script: nothing worked out, everything forgotten
    assert titles(client.get(south_list)) == ["Ressourcerie du Gard"]


def region_counts(response):
    """{region code: its count} as the region facet shows them."""
    soup = BeautifulSoup(response.content, "html.parser")
    options = soup.select('select[name="region"] option[value]:not([value=""])')
    return {option["value"]: option.get_text().rsplit("(", 1)[1].rstrip(")") for option in options}


def test_a_new_title_forgets_the_fiches_that_show_it_among_their_similar_ones(
    client, editor_client, fiches, places, django_assert_num_queries
):
    neighbour = CooperationFactory(published=True, title="Légumerie de Lille", regions=[places["north"]])
    page = neighbour.get_absolute_url()
    assert "Légumerie du Nord" in client.get(page).content.decode()
    client.get(fiches["south"].get_absolute_url())

    save(editor_client, fiches["north"], title="Conserverie du Nord")

    assert "Conserverie du Nord" in client.get(page).content.decode()
    still_cached(client, fiches["south"].get_absolute_url(), django_assert_num_queries)


def test_a_national_fiche_new_title_forgets_every_territory_list(client, editor_client, fiches):
    national = CooperationFactory(published=True, title="Réseau national", scope=Cooperation.Scope.NATIONAL)
    gard_list = f"{LIST}?department=30"
    assert titles(client.get(gard_list)) == ["Recyclerie du Gard", "Réseau national"]
    save(editor_client, national, title="Réseau national des ressourceries")
    assert titles(client.get(gard_list)) == ["Recyclerie du Gard", "Réseau national des ressourceries"]
