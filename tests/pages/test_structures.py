import pytest
from django.urls import reverse
from pytest_django.asserts import assertContains

from cooperations.models import Cooperation
from structures.models import Network, Structure
from tests.factories import (
    CooperationFactory,
    ParticipationFactory,
    SectorFactory,
    StructureFactory,
    publish_many,
    real_places,
)

pytestmark = pytest.mark.django_db
LIST_URL = reverse("structures:list")


@pytest.fixture
def structures():
    places = real_places()
    food = SectorFactory(slug="alimentation", name="Alimentation et circuits courts")
    anges = StructureFactory(name="Les Anges Gardins", kind="ACI", department=places["pas-de-calais"])
    anges.sectors.add(food)
    tremplin = StructureFactory(name="Tremplin Énergie", kind="EI", department=places["nord"])
    lyon = StructureFactory(name="Régie de quartier de Lyon", kind="association", department=places["rhone"])
    hidden = StructureFactory(name="Atelier des brouillons", kind="ACI", department=places["rhone"])
    published = CooperationFactory(published=True, title="Légumerie partagée")
    ParticipationFactory(cooperation=published, structure=anges, role="lead")
    ParticipationFactory(cooperation=published, structure=tremplin)
    ParticipationFactory(cooperation=CooperationFactory(title="Projet encore secret"), structure=hidden)
    return {"anges": anges, "tremplin": tremplin, "lyon": lyon, "hidden": hidden, "places": places}


def names(response):
    return [structure.name for structure in response.context["page"].object_list]


def test_the_list_shows_every_public_structure_with_its_kind_place_and_published_fiches(client, structures):
    response = client.get(LIST_URL)
    assert names(response) == [
        "Les Anges Gardins",
        "Régie de quartier de Lyon",
        "Tremplin Énergie",
    ]
    html = response.content.decode()
    assert f'href="{structures["anges"].get_absolute_url()}">Les Anges Gardins</a>' in html
    assert "Atelier et chantier d&#x27;insertion (ACI)" in html
    assert "1 coopération publiée" in html


def test_a_structure_named_only_in_drafts_is_nowhere_public(client, structures):
    # Its name would tell of a fiche still being written: not listed, no page, not counted.
    assert "Atelier des brouillons" not in names(client.get(LIST_URL))
    assert "Atelier des brouillons" not in names(client.get(f"{LIST_URL}?q=brouillons"))
    assert client.get(structures["hidden"].get_absolute_url()).status_code == 404
    rhone = structures["places"]["rhone"]
    department = client.get(rhone.get_absolute_url())
    assert department.context["structure_count"] == 1
    assert "Atelier des brouillons" not in department.content.decode()
    region = client.get(rhone.region.get_absolute_url())
    assert region.context["structure_count"] == 1
    # Once one of its fiches is published, it is public.
    Cooperation.objects.filter(title="Projet encore secret").update(status="published")
    assert client.get(structures["hidden"].get_absolute_url()).status_code == 200


def test_a_structure_named_in_no_fiche_is_public(client, structures):
    response = client.get(structures["lyon"].get_absolute_url())
    assert response.status_code == 200
    assert "Aucune coopération publiée ne cite encore cette structure." in response.content.decode()


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("kind=EI", ["Tremplin Énergie"]),
        ("region=32", ["Les Anges Gardins", "Tremplin Énergie"]),
        ("department=69", ["Régie de quartier de Lyon"]),
        ("sector=alimentation", ["Les Anges Gardins"]),
        ("q=tremplin+energie", ["Tremplin Énergie"]),
        ("q=REGIE", ["Régie de quartier de Lyon"]),
        ("region=84&kind=association", ["Régie de quartier de Lyon"]),
    ],
)
def test_filters_narrow_the_list(client, structures, query, expected):
    assert names(client.get(f"{LIST_URL}?{query}")) == expected


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("kind=SCOP", "Type de structure inconnu : « SCOP ». Ce filtre est ignoré."),
        ("region=99", "Région inconnue : « 99 ». Ce filtre est ignoré."),
        ("department=Nord", "Département inconnu : « Nord ». Ce filtre est ignoré."),
        ("sector=aeronautique", "Secteur inconnu : « aeronautique ». Ce filtre est ignoré."),
    ],
)
def test_an_invalid_filter_is_reported_in_french_and_ignored(client, structures, query, message):
    response = client.get(f"{LIST_URL}?{query}")
    assert response.status_code == 200
    html = response.content.decode()
    assert message in html.replace("&#x27;", "'")
    assert "n'ont pas été appliqués" in html.replace("&#x27;", "'")
    assert 'aria-invalid="true"' in html
    assert len(names(response)) == Structure.objects.count() - 1  # all but the one named only in drafts


def test_valid_filters_still_apply_next_to_an_invalid_one(client, structures):
    response = client.get(f"{LIST_URL}?region=32&kind=SCOP")
    assert names(response) == ["Les Anges Gardins", "Tremplin Énergie"]
    assert "Type de structure inconnu" in response.content.decode()


def test_no_match_and_nothing_yet_are_two_different_empty_states(client, structures):
    no_match = client.get(f"{LIST_URL}?q=introuvable").content.decode()
    assert "Aucune structure ne correspond à ces critères." in no_match
    assert "Aucune structure n'est encore répertoriée" not in no_match.replace("&#x27;", "'")
    Cooperation.objects.all().delete()
    Structure.objects.all().delete()
    nothing = client.get(LIST_URL).content.decode().replace("&#x27;", "'")
    assert "Aucune structure n'est encore répertoriée" in nothing
    assert "Aucune structure ne correspond" not in nothing


def test_the_list_is_paginated_and_keeps_its_filters_in_page_links(client):
    for i in range(30):
        StructureFactory(name=f"Chantier {i:02d}", kind="ACI")
    first = client.get(f"{LIST_URL}?kind=ACI")
    assert len(names(first)) == 24
    assert 'href="?kind=ACI&amp;page=2"' in first.content.decode()
    second = client.get(f"{LIST_URL}?kind=ACI&page=2")
    assert names(second) == [f"Chantier {i}" for i in range(24, 30)]
    assert names(client.get(f"{LIST_URL}?page=abc")) == names(first)


def test_the_structure_page_shows_its_place_networks_sectors_website_and_roles(client, structures):
    anges = structures["anges"]
    anges.website = "https://www.anges-gardins.fr"
    anges.description = "Jardins de cocagne et légumerie."
    anges.save()
    anges.networks.add(Network.objects.create(name="Réseau Cocagne"))
    html = client.get(anges.get_absolute_url()).content.decode()
    place = structures["places"]["pas-de-calais"]
    assert f'<a href="{place.get_absolute_url()}">Pas-de-Calais (62)</a>' in html
    assert f'<a href="{place.region.get_absolute_url()}">Hauts-de-France</a>' in html
    assert "Réseau Cocagne" in html
    assert f'href="{LIST_URL}?sector=alimentation">Alimentation et circuits courts</a>' in html
    assert 'href="https://www.anges-gardins.fr"' in html
    assert "Jardins de cocagne et légumerie." in html
    assert "Légumerie partagée" in html
    card = html.split("Légumerie partagée", 1)[1].split("</article>", 1)[0]
    assert "Porteur" in card


def test_an_unknown_structure_is_not_found(client):
    assert client.get(reverse("structures:detail", args=["inconnue"])).status_code == 404


@pytest.mark.parametrize("fiche_count", [20, 200])
def test_the_list_and_the_page_run_the_same_queries_whatever_the_number_of_fiches(
    client, django_assert_num_queries, fiche_count
):
    places = real_places()
    structures = [StructureFactory(department=places["nord"]) for _ in range(30)]
    publish_many(fiche_count, departments=[places["nord"]], structures=structures)
    # 1 the region asked for, checked, 2 count, 3-5 the choices of region, department and sector,
    # 6 the page of structures with their place and their counts of fiches.
    with django_assert_num_queries(6):
        response = client.get(f"{LIST_URL}?region=32")
    assert response.context["page"].paginator.count == 30
    # 1 the structure and its place, 2 networks, 3 sectors, 4 its participations in published fiches,
    # 5 those fiches, 6-8 their forms, departments and regions.
    with django_assert_num_queries(8):
        response = client.get(structures[0].get_absolute_url())
    assert len(response.context["structure"].published_participations) == fiche_count


def test_a_structure_without_published_fiches_reads_none_rather_than_zero(client, structures):
    response = client.get(f"{LIST_URL}?q=lyon")
    assertContains(response, '<span class="structure-count">Aucune coopération publiée</span>', html=True)
    assert "0 coopération" not in response.content.decode()
