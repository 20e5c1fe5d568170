"""The cards, facet blocks, pages of ids and fiche layouts cached under the directory's generation
(cooperations/cards.py): a change shows at once, and nothing cached reaches a visitor who may not see it."""

import pytest
from bs4 import BeautifulSoup
from django.test import Client
from django.urls import reverse

from cooperations.models import Cooperation, LevelSheet, Source
from tests.factories import (
    CooperationFactory,
    OutcomeFigureFactory,
    SectorFactory,
    StructureFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db
LIST = reverse("cooperations:list")


def soup(response):
    assert response.status_code == 200
    return BeautifulSoup(response.content, "html.parser")


def card_titles(response):
    return [
        " ".join(a.get_text(" ", strip=True).split())
        for a in soup(response).select("#results .fiche-card h3 a")
    ]


def card_partners(response):
    return [
        p.get_text(" ", strip=True) for p in soup(response).select("#results .fiche-card .fiche-card-meta")
    ]


@pytest.fixture
def fiche():
    port = StructureFactory(name="Chantier du Port")
    return CooperationFactory(
        published=True,
        title="Légumerie du port",
        summary="Une légumerie partagée.",
        objectives="Nourrir les cantines.",
        participants=[(port, "lead")],
    )


def test_saving_a_fiche_changes_its_card_and_its_page_at_once(client, fiche):
    assert card_titles(client.get(LIST)) == ["Légumerie du port"]
    assert card_titles(client.get(LIST, {"q": "légumerie"})) == ["Légumerie du port"]
    assert (
        "Nourrir les cantines." in soup(client.get(fiche.get_absolute_url())).select_one(".fiche-body").text
    )
    fiche.title = "Conserverie du port"
    fiche.summary = "Une conserverie partagée."
    fiche.objectives = "Conserver les récoltes."
    fiche.save()
    assert card_titles(client.get(LIST)) == ["Conserverie du port"]
    assert card_titles(client.get(LIST, {"q": "port"})) == ["Conserverie du port"]
    assert card_titles(client.get(LIST, {"q": "légumerie"})) == []
    body = soup(client.get(fiche.get_absolute_url())).select_one(".fiche-body").text
    assert "Conserver les récoltes." in body
    assert "Nourrir les cantines." not in body


def test_renaming_a_structure_changes_the_cards_and_the_fiche_page_at_once(client, fiche):
    assert any("Chantier du Port" in text for text in card_partners(client.get(LIST)))
    client.get(fiche.get_absolute_url())
    structure = fiche.structures.get()
    structure.name = "Atelier du Port"
    structure.save()
    assert any("Atelier du Port" in text for text in card_partners(client.get(LIST)))
    participants = soup(client.get(fiche.get_absolute_url())).select_one(".fiche-participants").text
    assert "Atelier du Port" in participants
    assert "Chantier du Port" not in participants


def test_a_fiche_set_back_to_draft_leaves_the_list_the_search_and_its_page_at_once(client, fiche):
    client.get(LIST)
    client.get(LIST, {"q": "légumerie"})
    client.get(fiche.get_absolute_url())
    fiche.status = Cooperation.Status.DRAFT
    fiche.save()
    assert card_titles(client.get(LIST)) == []
    assert card_titles(client.get(LIST, {"q": "légumerie"})) == []
    assert client.get(fiche.get_absolute_url()).status_code == 404


def test_a_new_link_changes_the_cached_facets_of_a_filtered_list_at_once(client, fiche):
    food = SectorFactory(slug="alimentation", name="Alimentation")
    params = {"q": "légumerie"}
    assert not soup(client.get(LIST, params)).select("#facets input[name=sector]")
    fiche.sectors.add(food)
    boxes = soup(client.get(LIST, params)).select("#facets input[name=sector]")
    assert [box["value"] for box in boxes] == ["alimentation"]


def test_a_previewed_draft_is_never_cached_for_the_public(client, fiche):
    draft = CooperationFactory(title="Brouillon secret", summary="Pas encore public.", objectives="À relire.")
    staff = Client()
    staff.force_login(UserFactory(administrator=True))
    preview = soup(staff.get(reverse("cooperations:preview", args=[draft.slug])))
    assert "À relire." in preview.select_one(".fiche-body").text
    assert client.get(reverse("cooperations:detail", args=[draft.slug])).status_code == 404
    for params in ({}, {"q": "brouillon"}, {"q": "relire"}):
        response = client.get(LIST, params)
        assert "Brouillon secret" not in response.content.decode()


def test_the_staff_edit_link_is_not_cached_into_the_public_page(client, fiche):
    staff = Client()
    staff.force_login(UserFactory(administrator=True))
    edit_url = reverse("editing:cooperation_edit", args=[fiche.pk])
    assert soup(staff.get(fiche.get_absolute_url())).select(f'a[href="{edit_url}"]')
    assert not soup(client.get(fiche.get_absolute_url())).select(f'a[href="{edit_url}"]')


def test_each_search_highlights_its_own_words_in_the_same_card(client, fiche):
    first = soup(client.get(LIST, {"q": "légumerie"})).select_one(".fiche-card h3 a")
    second = soup(client.get(LIST, {"q": "port"})).select_one(".fiche-card h3 a")
    assert [mark.text.lower() for mark in first.select("mark")] == ["légumerie"]
    assert [mark.text.lower() for mark in second.select("mark")] == ["port"]


def test_the_htmx_results_carry_the_cached_facets_out_of_band(client, fiche):
    client.get(LIST)  # caches the facet block and the cards
    response = client.get(LIST, headers={"HX-Request": "true"})
    page = soup(response)
    assert page.select_one('#facets[hx-swap-oob="true"]').select("input[name=level]")
    assert [a.get_text(strip=True) for a in page.select(".fiche-card h3 a")] == ["Légumerie du port"]
    assert not page.select("html, form#cooperation-filters")


def test_a_figure_a_source_or_a_level_sheet_changes_the_cached_fiche_layout_at_once(client, fiche):
    def shown(selector):
        return soup(client.get(fiche.get_absolute_url())).select_one(selector).text

    client.get(fiche.get_absolute_url())  # caches the layout
    figure = OutcomeFigureFactory(cooperation=fiche, label="tonnes de légumes", value=12)
    assert "tonnes de légumes" in shown(".fiche-figures")
    figure.label = "tonnes de fruits"
    figure.save()
    assert "tonnes de fruits" in shown(".fiche-figures")
    fiche.sources.add(Source.objects.create(key="etude", title="Une étude régionale"))
    assert "Une étude régionale" in shown(".fiche-sources")
    LevelSheet.objects.update_or_create(code=fiche.level, defaults={"summary": "Un premier pas ensemble."})
    assert "Un premier pas ensemble." in shown(".fiche-facts")
