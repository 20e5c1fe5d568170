"""A fiche's « réseau référent »: shown on the fiche, filtered in the list, the API and the feed,
exported and imported as a column."""

from xml.etree import ElementTree

import pytest
from bs4 import BeautifulSoup

from cooperations.models import Cooperation
from tests.factories import CooperationFactory
from tests.imports.conftest import csv_file, run_import

pytestmark = pytest.mark.django_db
ATOM = "{http://www.w3.org/2005/Atom}"


def test_the_fiche_page_names_its_organisation_with_a_link_to_its_page(client, networks):
    fiche = CooperationFactory(published=True, organisation=networks["dreets"])
    page = BeautifulSoup(client.get(fiche.get_absolute_url()).content, "html.parser")
    line = page.select_one(".fiche-organisation")
    assert " ".join(line.get_text().split()) == "Fiche suivie par DREETS HdF"
    assert line.a["href"] == "/reseaux/dreets-hauts-de-france/"


def test_a_fiche_without_organisation_says_nothing_of_one(client, networks):
    fiche = CooperationFactory(published=True)
    page = BeautifulSoup(client.get(fiche.get_absolute_url()).content, "html.parser")
    assert page.select_one(".fiche-organisation") is None


def test_the_list_keeps_the_fiches_of_the_organisation_and_shows_it_as_a_chip(client, networks):
    CooperationFactory(published=True, title="Suivie par COORACE", organisation=networks["coorace"])
    CooperationFactory(published=True, title="Suivie par la DREETS", organisation=networks["dreets"])
    CooperationFactory(published=True, title="Suivie par personne")
    page = BeautifulSoup(client.get("/cooperations/?organisation=coorace").content, "html.parser")
    assert [a.get_text(strip=True) for a in page.select(".fiche-card h3 a")] == ["Suivie par COORACE"]
    assert [" ".join(c.get_text().split()) for c in page.select(".chip, .chips a")] == [
        "Suivie par COORACE ✕"
    ]


def test_an_unknown_organisation_is_ignored_with_a_french_warning(client, networks):
    CooperationFactory(published=True, organisation=networks["coorace"])
    CooperationFactory(published=True)
    response = client.get("/cooperations/?organisation=inconnu")
    page = BeautifulSoup(response.content, "html.parser")
    assert len(page.select(".fiche-card")) == 2
    assert (
        "Le filtre « réseau référent » a été ignoré : « inconnu » n'est pas un réseau référent connu."
        in page.get_text()
    )


def test_the_api_filters_by_organisation_and_names_it(client, networks):
    CooperationFactory(published=True, title="A", organisation=networks["dreets"])
    CooperationFactory(published=True, title="B")
    data = client.get("/api/v1/cooperations/?organisation=dreets-hauts-de-france").json()
    assert [fiche["title"] for fiche in data["results"]] == ["A"]
    organisation = data["results"][0]["organisation"]
    assert organisation["slug"] == "dreets-hauts-de-france"
    assert organisation["short_name"] == "DREETS HdF"
    assert organisation["url"].endswith("/reseaux/dreets-hauts-de-france/")
    other = client.get("/api/v1/cooperations/").json()["results"]
    assert {fiche["title"]: fiche["organisation"] for fiche in other}["B"] is None


def test_the_api_refuses_an_unknown_organisation_in_french(client, networks):
    response = client.get("/api/v1/cooperations/?organisation=inconnu")
    assert response.status_code == 400
    assert "n'est pas un réseau référent connu" in str(response.json())


def test_the_feed_follows_the_organisation(client, networks):
    CooperationFactory(published=True, title="Fiche COORACE", organisation=networks["coorace"])
    CooperationFactory(published=True, title="Fiche DREETS", organisation=networks["dreets"])
    feed = ElementTree.fromstring(client.get("/cooperations/flux.atom?organisation=coorace").content)
    titles = [entry.findtext(f"{ATOM}title") for entry in feed.iter(f"{ATOM}entry")]
    assert titles == ["Fiche COORACE"]


def test_the_export_writes_the_organisation_name(client, networks):
    CooperationFactory(published=True, title="Fiche COORACE", organisation=networks["coorace"])
    CooperationFactory(published=True, title="Fiche sans réseau")
    lines = client.get("/cooperations/export/?format=csv").getvalue().decode("utf-8-sig").splitlines()
    header = lines[0].split(";")
    column = header.index("réseau référent")
    values = {line.split(";")[1]: line.split(";")[column] for line in lines[1:]}
    assert values == {"Fiche COORACE": "COORACE", "Fiche sans réseau": ""}


def test_the_import_reads_a_name_or_short_name_and_an_empty_cell_clears_it(reference, networks):
    Cooperation.objects.create(title="Atelier", slug="atelier", level="simple")
    Cooperation.objects.create(
        title="Cantine", slug="cantine", level="simple", organisation=networks["coorace"]
    )
    rows = [["identifiant", "réseau référent"], ["atelier", "dreets hdf"], ["cantine", ""]]
    report = run_import(csv_file(rows))
    assert report.rows[0].changes == [("réseau référent", "(vide) → « DREETS Hauts-de-France »")]
    assert report.rows[1].changes == [("réseau référent", "« COORACE » → (vide)")]
    assert Cooperation.objects.get(slug="atelier").organisation == networks["dreets"]
    assert Cooperation.objects.get(slug="cantine").organisation is None


def test_a_new_fiche_imported_takes_its_organisation(reference, networks):
    run_import(csv_file([["titre", "niveau", "réseau"], ["Garage solidaire", "simple", "COORACE"]]))
    assert Cooperation.objects.get(title="Garage solidaire").organisation == networks["coorace"]


def test_an_unknown_organisation_in_a_file_is_refused_with_a_suggestion(reference, networks):
    Cooperation.objects.create(title="Atelier", slug="atelier", level="simple")
    report = run_import(csv_file([["identifiant", "réseau référent"], ["atelier", "COORAC"]]))
    assert report.messages() == [
        "Ligne 2, colonne réseau référent : « COORAC » est inconnu ; vouliez-vous dire COORACE ?"
    ]
    assert Cooperation.objects.get(slug="atelier").organisation is None


def test_the_list_offers_the_organisations_that_follow_published_fiches(client, networks):
    from structures.models import Network

    Network.objects.create(name="Emmaüs")  # only structures belong to it
    CooperationFactory(published=True, organisation=networks["coorace"])
    CooperationFactory(organisation=networks["dreets"])  # a draft
    page = BeautifulSoup(client.get("/cooperations/?organisation=coorace").content, "html.parser")
    select = page.select_one("select#id_organisation")
    options = [(o["value"], o.get_text(), o.has_attr("selected")) for o in select.select("option")]
    assert options == [("", "Tous les réseaux", False), ("coorace", "COORACE", True)]
