"""The structure editor's look-up in the Annuaire des entreprises (recorded answers, no network):
candidates listed, one chosen, each differing field shown old beside new, only the ticked ones kept."""

import pytest
from bs4 import BeautifulSoup
from django.urls import reverse

from structures.models import Structure
from tests.editing.test_structure_workspace import editor_data
from tests.factories import CommuneFactory, DepartmentFactory, StructureFactory

pytestmark = pytest.mark.django_db


def soup(response):
    return BeautifulSoup(response.content, "html.parser")


@pytest.fixture
def structure():
    rouen = CommuneFactory(code="76540", name="Rouen", department=DepartmentFactory(code="76"))
    return StructureFactory(name="Interm'Aide Emploi", kind=Structure.Kind.SIAE, commune=rouen)


def url(structure):
    return reverse("editing:structure_edit", args=[structure.pk])


def test_the_search_lists_candidates_and_keeps_what_was_typed(client, editor, registry, structure):
    data = editor_data(client, structure, email="typed@intermaide.example")
    data |= {"action": "registry-search", "registry-q": "Interm'Aide Emploi"}
    page = soup(client.post(url(structure), data))

    assert registry.requests[0]["code_commune"] == "76540"
    candidates = page.select(".registry-candidate")
    assert [c.select_one(".registry-name strong").get_text() for c in candidates] == [
        "INTERM'AIDE EMPLOI",
        "INTERMAIDE SERVICES",
    ]
    first, closed = (" ".join(c.get_text().split()) for c in candidates)
    assert "en activité" in first and "SIAE (AI)" in first and "41234567000019" in first and "78.20Z" in first
    assert "fermé" in closed and "SIAE" not in closed
    assert page.select_one("#id_email")["value"] == "typed@intermaide.example"  # nothing typed is lost
    assert not page.select(".errorlist")  # a look-up is not a save
    structure.refresh_from_db()
    assert structure.email == ""


def test_choosing_a_candidate_shows_each_change_old_beside_new(client, editor, registry, structure):
    data = editor_data(client, structure) | {"registry-siret": "41234567000019", "registry-q": "x"}
    page = soup(client.post(url(structure), data))
    rows = {
        row.select_one("th").get_text(): [cell.get_text().strip() for cell in row.select("td")]
        for row in page.select(".registry-diff tbody tr")
    }
    assert rows["Type"][1:] == [
        "Structure d'insertion au conventionnement non précisé (SIAE)",
        "Association intermédiaire (AI)",
    ]
    assert rows["SIRET"][1:] == ["(vide)", "41234567000019"]
    assert rows["Adresse postale"][1:] == ["(vide)", "12 Rue de la Republique"]
    assert "Commune" not in rows  # Rouen already
    ticked = {box["value"] for box in page.select("input[name=registry-keep][checked]")}
    assert ticked == {"siret", "address", "postal_code"}  # what is missing; not what would replace a value


def test_only_the_ticked_values_fill_the_form_and_the_save_keeps_them(client, editor, registry, structure):
    data = editor_data(client, structure) | {
        "action": "registry-apply",
        "registry-keep": ["siret", "address"],
        "registry-new-siret": "41234567000019",
        "registry-new-address": "12 Rue de la Republique",
        "registry-new-kind": "AI",
    }
    response = client.post(url(structure), data)
    form = response.context["form"]
    assert (form["siret"].value(), form["address"].value(), form["kind"].value()) == (
        "41234567000019",
        "12 Rue de la Republique",
        "SIAE",
    )
    structure.refresh_from_db()
    assert structure.siret is None  # filled, not saved: the editor checks, then saves

    saved = editor_data(client, structure) | {"siret": "41234567000019", "address": "12 Rue de la Republique"}
    client.post(url(structure), saved)
    structure.refresh_from_db()
    assert (structure.siret, structure.address, structure.kind) == (
        "41234567000019",
        "12 Rue de la Republique",
        "SIAE",
    )


def test_an_unreachable_registry_is_said_and_editing_goes_on(client, editor, registry, structure):
    registry.failure = "timeout"
    data = editor_data(client, structure, phone="03 20 00 00 00") | {
        "action": "registry-search",
        "registry-q": "Interm'Aide Emploi",
    }
    page = soup(client.post(url(structure), data))
    notice = page.select_one(".registry .notice-warning").get_text()
    assert "n'a pas répondu à temps" in notice and "Vous pouvez continuer à modifier la structure" in notice
    assert page.select_one("#id_phone")["value"] == "03 20 00 00 00"


def test_nothing_found_is_said(client, editor, registry, structure):
    data = editor_data(client, structure) | {"action": "registry-search", "registry-q": "introuvable"}
    page = soup(client.post(url(structure), data))
    assert "Aucune entreprise trouvée" in page.select_one(".registry .empty").get_text()
