import pytest
from django.urls import reverse

from cooperations.models import Cooperation, LevelSheet
from tests.factories import CooperationFactory, CooperationFormFactory, publish_many, real_places

pytestmark = pytest.mark.django_db


@pytest.fixture
def gme():
    form = CooperationFormFactory(
        code="gme",
        name="Groupement momentané d'entreprises",
        short_name="GME",
        summary="Plusieurs entreprises répondent ensemble à un marché.",
        definition="Un groupement **sans personnalité morale**.",
        objectives="- Accéder à des marchés plus gros",
        legal_frame="Article R2142-19 du code de la commande publique.",
    )
    CooperationFactory(published=True, title="Marché de nettoyage partagé", forms=[form], level="simple")
    CooperationFactory(published=True, title="Chantier de rénovation", forms=[form], level="reinforced")
    CooperationFactory(title="Groupement en brouillon", forms=[form], level="strategic")
    return form


def test_a_form_lives_under_formes(gme):
    assert gme.get_absolute_url() == "/formes/gme/"


def test_the_index_lists_the_forms_with_their_counts_and_the_three_levels_in_order(client, gme):
    CooperationFormFactory(code="ptce", name="Pôle territorial de coopération économique")
    response = client.get(reverse("forms:index"))
    html = response.content.decode()
    assert f'<a href="{gme.get_absolute_url()}">Groupement momentané d&#x27;entreprises</a>' in html
    gme_card = html.split("/formes/gme/", 1)[1].split("</article>", 1)[0]
    assert "2 coopérations publiées" in gme_card
    ptce_card = html.split("/formes/ptce/", 1)[1].split("</article>", 1)[0]
    assert "Aucune coopération publiée" in ptce_card
    positions = [
        html.index(label)
        for label in ("Coopération simple", "Coopération stratégique", "Coopération renforcée")
    ]
    assert positions == sorted(positions)
    assert [count for _level, _sheet, count in response.context["levels"]] == [1, 0, 1]


def test_a_form_page_shows_its_resource_sheet_and_its_published_fiches(client, gme):
    html = client.get(gme.get_absolute_url()).content.decode()
    assert "Plusieurs entreprises répondent ensemble à un marché." in html
    assert "Un groupement <strong>sans personnalité morale</strong>." in html
    assert "<li>Accéder à des marchés plus gros</li>" in html
    assert "Article R2142-19" in html
    assert "Marché de nettoyage partagé" in html and "Chantier de rénovation" in html
    assert "Groupement en brouillon" not in html


def test_a_form_page_links_to_the_list_when_it_has_more_fiches_than_shown(client, gme):
    publish_many(15, forms=[gme])
    html = client.get(gme.get_absolute_url()).content.decode()
    assert html.count('class="fiche-card"') == 12
    assert f'href="{reverse("cooperations:list")}?form=gme">Voir les 17 coopérations dans la liste' in html


def test_an_unknown_form_is_not_found_and_the_old_address_is_gone(client, gme):
    assert client.get(reverse("forms:detail", args=["inconnue"])).status_code == 404
    assert client.get("/cooperations/formes/gme/").status_code == 404


def test_the_levels_page_explains_each_level_from_simple_to_reinforced_with_its_count(client, gme):
    LevelSheet.objects.create(
        code="reinforced", summary="Faire ensemble durablement.", description="Une **SCIC**."
    )
    LevelSheet.objects.create(code="simple", summary="Un échange ponctuel.")
    html = client.get(reverse("forms:levels")).content.decode()
    positions = [html.index(f'id="{code}"') for code in ("simple", "strategic", "reinforced")]
    assert positions == sorted(positions)
    assert "Faire ensemble durablement." in html and "Une <strong>SCIC</strong>." in html
    list_url = reverse("cooperations:list")
    simple = Cooperation.objects.published().filter(level="simple").count()
    assert f'href="{list_url}?level=simple">Voir la coopération publiée à ce niveau</a>' in html
    assert simple == 1
    assert "?level=strategic" not in html  # only a draft at that level
    assert "Aucune coopération publiée à ce niveau pour l'instant." in html


@pytest.mark.parametrize("fiche_count", [20, 200])
def test_form_and_level_pages_run_the_same_queries_whatever_the_number_of_fiches(
    client, django_assert_num_queries, fiche_count
):
    forms = [CooperationFormFactory(), CooperationFormFactory()]
    places = real_places()
    publish_many(fiche_count, forms=forms, departments=[places["nord"]])
    # 1 forms with their counts, 2 level sheets, 3 fiches counted by level.
    with django_assert_num_queries(3):
        client.get(reverse("forms:index"))
    # 1 level sheets, 2 fiches counted by level.
    with django_assert_num_queries(2):
        client.get(reverse("forms:levels"))
    # 1 the form and its count, 2 its latest fiches, 3-5 their forms, departments and regions.
    with django_assert_num_queries(5):
        response = client.get(forms[0].get_absolute_url())
    assert response.context["form"].cooperation_count == fiche_count
