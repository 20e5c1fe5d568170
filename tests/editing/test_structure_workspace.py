"""/espace/structures/: the list with its filters, the editor of every field, its conflicts and history."""

import re

import pytest
from bs4 import BeautifulSoup
from django.test import Client
from django.urls import reverse

from cooperations.models import Participation
from structures.models import Network, Structure
from tests.factories import (
    CommuneFactory,
    CooperationFactory,
    DepartmentFactory,
    SectorFactory,
    StructureFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db
LIST = reverse("editing:structures")


def soup(response):
    return BeautifulSoup(response.content, "html.parser")


def names(response):
    return [row.select_one("th a").get_text() for row in soup(response).select(".structure-table tbody tr")]


def editor_data(client, structure, **changes):
    """The editor's form as the page shows it, with `changes`."""
    form = client.get(reverse("editing:structure_edit", args=[structure.pk])).context["form"]
    data = {}
    for field in form:
        value = field.value()
        if value is None or value is False:
            continue
        data[field.html_name] = [str(v) for v in value] if isinstance(value, list | tuple) else value
    data.update(changes)
    return data


# --- The list -------------------------------------------------------------------------------------------
def test_the_list_shows_every_structure_with_what_it_lacks(client, editor):
    StructureFactory(name="Atelier Vélo", siret="41234567000019", website="https://velo.example")
    StructureFactory(name="Bâtir Ensemble")
    rows = soup(client.get(LIST)).select(".structure-table tbody tr")
    assert [row.th.a.get_text() for row in rows] == ["Atelier Vélo", "Bâtir Ensemble"]
    assert "aucune" not in rows[0].get_text() and "41234567000019" in rows[0].get_text()
    assert rows[1].select(".tag-gap")[0].get_text() == "aucune"  # no contact details, nor a SIRET


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("without_contact=1", ["Bâtir Ensemble", "Cuisine du Port"]),
        ("without_siret=1", ["Bâtir Ensemble", "Cuisine du Port"]),
        ("published=1", ["Atelier Vélo"]),
        ("kind=EI", ["Cuisine du Port"]),
        ("department=59", ["Bâtir Ensemble"]),
        ("q=batir", ["Bâtir Ensemble"]),
        ("q=41234567000019", ["Atelier Vélo"]),
    ],
)
def test_each_filter_narrows_the_list(client, editor, query, expected):
    velo = StructureFactory(name="Atelier Vélo", siret="41234567000019", email="contact@velo.example")
    StructureFactory(name="Bâtir Ensemble", department=DepartmentFactory(code="59"))
    StructureFactory(name="Cuisine du Port", kind=Structure.Kind.EI)
    CooperationFactory(published=True, participants=[velo])
    assert names(client.get(f"{LIST}?{query}")) == expected


def test_the_duplicates_filter_finds_likely_duplicates(client, editor):
    StructureFactory(name="DIRECCTE", kind=Structure.Kind.STATE_SERVICE)
    StructureFactory(name="DIRECCTE Île-de-France", kind=Structure.Kind.STATE_SERVICE)
    StructureFactory(name="Jardins de Cocagne")
    assert names(client.get(f"{LIST}?duplicates=1")) == ["DIRECCTE", "DIRECCTE Île-de-France"]


def test_a_filter_not_understood_is_said_and_left_out(client, editor):
    StructureFactory(name="Atelier Vélo")
    response = client.get(f"{LIST}?kind=banque&page=zz")
    notice = " ".join(soup(response).select_one(".notice-warning").get_text().replace("\u00a0", " ").split())
    assert "Type de structure inconnu : « banque »" in notice
    assert names(response) == ["Atelier Vélo"]


def test_the_list_reads_a_constant_number_of_queries(client, editor, django_assert_num_queries):
    words = iter(["Aubépine", "Bruyère", "Châtaignier", "Digitale", "Églantier", "Fougère", "Genêt", "Houx"])
    for count in (1, 4):
        for _n in range(count - Structure.objects.count() // 2):
            # Two structures of one name, of two kinds: likely duplicates, each in a published fiche.
            word, commune = next(words), CommuneFactory()
            for kind in (Structure.Kind.OTHER, Structure.Kind.ACI):
                structure = StructureFactory(name=word, kind=kind, commune=commune)
                CooperationFactory(published=True, participants=[structure])
        url = f"{LIST}?without_siret=1&published=1&duplicates=1"
        client.get(url)  # the likely duplicates, kept until the directory changes
        # session, user, its own and its groups' permissions (4); the regions, departments and sectors
        # the filters offer (3); the count and the page of structures with their commune, department and
        # counts of fiches (2)
        with django_assert_num_queries(9):
            response = client.get(url)
        assert len(names(response)) == 2 * count


def test_an_empty_directory_and_an_empty_result_say_different_things(client, editor):
    assert "Aucune structure pour l’instant" in soup(client.get(LIST)).select_one(".empty-state").get_text()
    StructureFactory(name="Atelier Vélo")
    text = soup(client.get(f"{LIST}?q=introuvable")).select_one(".empty-state").get_text()
    assert "Aucune structure ne correspond à ces critères" in text


# --- The editor -----------------------------------------------------------------------------------------
def test_every_field_is_edited_and_saved_as_one_version(client, editor):
    nord = DepartmentFactory(code="59")
    lille = CommuneFactory(code="59350", name="Lille", department=nord)
    network = Network.objects.create(name="COORACE")
    sector = SectorFactory(name="Réemploi")
    structure = StructureFactory(name="Atelier Vélo")
    data = editor_data(
        client,
        structure,
        name="Atelier Vélo Solidaire",
        kind="EI",
        siret="412 345 670 00019",
        networks=[str(network.pk)],
        sectors=[str(sector.pk)],
        description="Réparation de vélos.",
        website="velo.example",
        email="contact@velo.example",
        phone="03 20 00 00 00",
        address="12 rue Nationale",
        postal_code="59000",
        commune="Lille",
        internal_note="Vu au salon.",
    )
    response = client.post(reverse("editing:structure_edit", args=[structure.pk]), data)
    assert response.status_code == 302, response.context["form"].errors
    structure.refresh_from_db()
    assert (structure.name, structure.kind, structure.siret) == (
        "Atelier Vélo Solidaire",
        "EI",
        "41234567000019",
    )
    assert (structure.commune, structure.department) == (lille, nord)
    assert structure.website == "https://velo.example"
    assert structure.phone_display == "03 20 00 00 00"
    assert list(structure.networks.all()) == [network] and list(structure.sectors.all()) == [sector]
    assert structure.internal_note == "Vu au salon."
    assert structure.history.count() == 2  # created, then this one save
    latest = structure.history.first()
    assert latest.history_user == editor and structure.updated_by == editor


def test_a_new_structure_is_created_from_the_workspace(client, editor):
    data = {"name": "Régie du Lac", "kind": "other", "version": "1"}
    response = client.post(reverse("editing:structure_new"), data)
    structure = Structure.objects.get(name="Régie du Lac")
    assert response.url == reverse("editing:structure_edit", args=[structure.pk])
    assert structure.history.get().history_type == "+"


def test_a_siret_or_a_name_already_taken_offers_to_merge(client, editor):
    StructureFactory(name="Atelier Vélo", siret="41234567000019")
    other = StructureFactory(name="Autre atelier")
    response = client.post(
        reverse("editing:structure_edit", args=[other.pk]), editor_data(client, other, siret="41234567000019")
    )
    page = soup(response)
    assert "Ce SIRET est déjà celui de « Atelier Vélo »" in page.select_one("#id_siret_error").get_text()
    link = page.select_one(".form-errors a")
    assert link.get_text() == "Comparer avec « Atelier Vélo » et les fusionner"


def test_an_unknown_commune_is_explained(client, editor):
    structure = StructureFactory()
    response = client.post(
        reverse("editing:structure_edit", args=[structure.pk]), editor_data(client, structure, commune="Lile")
    )
    assert "inconnu" in soup(response).select_one("#id_commune_error").get_text()


def test_a_colleague_s_save_is_shown_beside_what_was_typed(editor):
    structure = StructureFactory(name="Atelier Vélo", email="")
    alice, bruno = Client(), Client()
    alice.force_login(UserFactory(editor=True, first_name="Alice", last_name="Morel"))
    bruno.force_login(UserFactory(editor=True, first_name="Bruno", last_name="Petit"))
    url = reverse("editing:structure_edit", args=[structure.pk])
    alice_data = editor_data(alice, structure, email="alice@velo.example")
    bruno_data = editor_data(bruno, structure, email="bruno@velo.example")
    assert alice.post(url, alice_data).status_code == 302

    response = bruno.post(url, bruno_data)
    conflict = soup(response).select_one(".conflict")
    assert "Quelqu’un a enregistré cette structure" in conflict.h2.get_text()
    versions = [" ".join(v.get_text().split()) for v in conflict.select(".conflict-version")]
    assert "bruno@velo.example" in versions[0] and "alice@velo.example" in versions[1]
    structure.refresh_from_db()
    assert structure.email == "alice@velo.example"

    # Keeping the colleague's value, then saving, settles it.
    settled = editor_data(bruno, structure) | {"email": "bruno@velo.example", "conflict-email": "theirs"}
    settled["version"] = response.context["form"]["version"].value()
    assert bruno.post(url, settled).status_code == 302
    structure.refresh_from_db()
    assert structure.email == "alice@velo.example"


# --- History ------------------------------------------------------------------------------------------
def test_the_history_compares_and_restores_a_structure(client, editor):
    structure = StructureFactory(name="Atelier Vélo", email="ancien@velo.example")
    first = structure.history.first()
    client.post(
        reverse("editing:structure_edit", args=[structure.pk]),
        editor_data(client, structure, email="nouveau@velo.example"),
    )
    versions = soup(client.get(reverse("editing:structure_history", args=[structure.pk]))).select(
        "li.version"
    )
    assert len(versions) == 2
    assert "ancien@velo.example" in versions[0].select_one(".version-changes").get_text()

    compare = soup(client.get(reverse("editing:structure_compare", args=[structure.pk])))
    row = compare.select_one(".version-diff tbody tr")
    assert [cell.get_text() for cell in row.select("th, td")] == [
        "Adresse e-mail",
        "ancien@velo.example",
        "nouveau@velo.example",
    ]

    url = reverse("editing:structure_restore", args=[structure.pk, first.history_id])
    preview = soup(client.get(url))
    assert "ancien@velo.example" in preview.select_one(".restore-preview").get_text()
    structure.refresh_from_db()
    response = client.post(url, {"version": structure.version}, follow=True)
    assert "est restaurée" in soup(response).select_one(".message-success").get_text()
    structure.refresh_from_db()
    assert structure.email == "ancien@velo.example"
    assert structure.history.count() == 3


def test_a_restore_confirmed_after_a_colleague_s_save_is_refused(client, editor):
    structure = StructureFactory(name="Atelier Vélo")
    first = structure.history.first()
    shown = structure.version
    structure.email = "entre-temps@velo.example"
    structure.save()
    url = reverse("editing:structure_restore", args=[structure.pk, first.history_id])
    response = client.post(url, {"version": shown}, follow=True)
    assert "rien n'est restauré" in soup(response).select_one(".message-error").get_text()
    structure.refresh_from_db()
    assert structure.email == "entre-temps@velo.example"


# --- What the public pages and the menu offer the team -------------------------------------------------
def test_the_public_structure_page_leads_editors_to_the_workspace(client, editor):
    structure = StructureFactory(name="Atelier Vélo")
    link = soup(client.get(structure.get_absolute_url())).select_one(".edit-link a")
    assert (link.get_text(), link["href"]) == (
        "Modifier la structure",
        reverse("editing:structure_edit", args=[structure.pk]),
    )


def test_the_administration_is_offered_to_administrators_only(client):
    client.force_login(UserFactory(editor=True))
    menu = soup(client.get("/")).select_one(".account-menu")
    assert [a.get_text() for a in menu.select("a")] == ["Espace de l’équipe"]
    client.force_login(UserFactory(administrator=True))
    menu = soup(client.get("/")).select_one(".account-menu")
    assert [a.get_text() for a in menu.select("a")] == ["Espace de l’équipe", "Administration"]


def test_a_fiche_s_contact_card_shows_what_the_editor_saved(client, editor):
    structure = StructureFactory(name="Atelier Vélo")
    fiche = CooperationFactory(published=True, participants=[(structure, Participation.Role.LEAD)])
    client.post(
        reverse("editing:structure_edit", args=[structure.pk]),
        editor_data(client, structure, phone="03 20 00 00 00"),
    )
    card = soup(client.get(fiche.get_absolute_url())).select_one("#contacter")
    assert re.search(r"Téléphone\s*03 20 00 00 00", card.get_text())
