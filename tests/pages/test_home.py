import pytest
from django.urls import reverse

from cooperations.models import Cooperation
from structures.models import Structure
from tests.factories import (
    CooperationFactory,
    CooperationFormFactory,
    ParticipationFactory,
    SectorFactory,
    StructureFactory,
    publish_many,
    real_places,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def directory():
    """Two published fiches in Hauts-de-France, one in the Rhône, and a draft alone in Guadeloupe."""
    places = real_places()
    gme = CooperationFormFactory(code="gme", name="Groupement momentané d'entreprises", short_name="GME")
    ptce = CooperationFormFactory(code="ptce", name="Pôle territorial de coopération économique")
    secret_form = CooperationFormFactory(code="forme-secrete", name="Forme des seuls brouillons")
    food = SectorFactory(slug="alimentation", name="Alimentation et circuits courts")
    secret_sector = SectorFactory(slug="secteur-secret", name="Secteur des seuls brouillons")
    published = [
        CooperationFactory(
            published=True,
            title="Légumerie solidaire de Lille",
            level="reinforced",
            departments=[places["nord"]],
            forms=[gme],
            sectors=[food],
        ),
        CooperationFactory(
            published=True,
            title="Chantier partagé du Pas-de-Calais",
            level="simple",
            departments=[places["nord"], places["pas-de-calais"]],
            forms=[gme, ptce],
            sectors=[food],
        ),
        CooperationFactory(published=True, title="Plateforme lyonnaise", departments=[places["rhone"]]),
    ]
    draft = CooperationFactory(
        title="Brouillon guadeloupéen",
        departments=[places["guadeloupe"]],
        forms=[secret_form],
        sectors=[secret_sector],
    )
    aci = StructureFactory(name="Les Anges Gardins")
    ParticipationFactory(cooperation=published[0], structure=aci)
    ParticipationFactory(cooperation=published[1], structure=aci)
    ParticipationFactory(cooperation=published[1], structure=StructureFactory(name="Tremplin"))
    ParticipationFactory(cooperation=draft, structure=StructureFactory(name="Structure des seuls brouillons"))
    return {"places": places, "published": published, "draft": draft}


def test_the_key_figures_count_published_fiches_their_structures_and_regions(client, directory):
    response = client.get(reverse("home"))
    published = Cooperation.objects.published()
    assert response.context["cooperation_count"] == published.count() == 3
    taking_part = Structure.objects.filter(participations__cooperation__in=published).distinct().count()
    assert response.context["structure_count"] == taking_part == 2
    assert len(response.context["regions"]) == 2
    html = response.content.decode()
    assert "<dd>3</dd>" in html and "<dd>2</dd>" in html


def test_the_search_box_sends_q_to_the_cooperation_list(client, directory):
    html = client.get(reverse("home")).content.decode()
    assert f'action="{reverse("cooperations:list")}"' in html
    assert 'type="search" id="home-q" name="q"' in html
    assert '<label for="home-q"' in html


def test_each_entry_point_links_to_the_filtered_list_with_its_count(client, directory):
    html = client.get(reverse("home")).content.decode()
    list_url = reverse("cooperations:list")
    expected = {
        "region=32": Cooperation.objects.published().in_region("32").count(),
        "region=84": 1,
        "form=gme": 2,
        "form=ptce": 1,
        "level=simple": 2,
        "level=strategic": 0,
        "level=reinforced": 1,
        "sector=alimentation": 2,
    }
    assert expected["region=32"] == 2
    for parameter, count in expected.items():
        assert f'href="{list_url}?{parameter}">' in html
        link = html.split(f'href="{list_url}?{parameter}">', 1)[1]
        assert f'<span class="count">{count}<span' in link.split("</a>", 1)[0], parameter


def test_drafts_show_nowhere_on_the_home_page(client, directory):
    html = client.get(reverse("home")).content.decode()
    assert "Brouillon guadeloupéen" not in html
    assert "region=01" not in html
    assert "forme-secrete" not in html and "Forme des seuls brouillons" not in html
    assert "secteur-secret" not in html


def test_the_latest_fiches_show_title_level_forms_place_and_summary(client, directory):
    response = client.get(reverse("home"))
    html = response.content.decode()
    fiche = directory["published"][1]
    assert f'<a href="{fiche.get_absolute_url()}">Chantier partagé du Pas-de-Calais</a>' in html
    card = html.split(fiche.get_absolute_url(), 1)[1].split("</article>", 1)[0]
    assert "Coopération simple" in card
    assert "GME" in card and "Pôle territorial de coopération économique" in card
    assert "Nord, Pas-de-Calais" in card
    assert "répondre ensemble à un besoin du territoire" in card
    assert {c.pk for c in response.context["latest"]} == {c.pk for c in directory["published"]}


def test_an_empty_directory_says_that_nothing_is_published_yet(client):
    html = client.get(reverse("home")).content.decode()
    assert "Aucune fiche n'est encore publiée" in html
    assert "Dernières fiches publiées" not in html


@pytest.mark.parametrize("fiche_count", [20, 200])
def test_the_home_page_runs_the_same_queries_whatever_the_number_of_fiches(
    client, django_assert_num_queries, fiche_count
):
    places = real_places()
    publish_many(
        fiche_count,
        departments=[places["nord"], places["rhone"]],
        forms=[CooperationFormFactory(), CooperationFormFactory()],
        sectors=[SectorFactory(), SectorFactory()],
        structures=[StructureFactory(), StructureFactory()],
    )
    # 1 published fiches, 2 structures taking part, 3 regions with counts, 4 forms with counts,
    # 5 levels, 6 sectors with counts, 7 latest fiches, 8-10 their forms, departments and regions.
    with django_assert_num_queries(10):
        response = client.get(reverse("home"))
    assert response.context["cooperation_count"] == fiche_count
