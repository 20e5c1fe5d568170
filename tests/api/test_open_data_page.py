"""/donnees/: the data described, its licence, the files of the last export, the API."""

import io

import pytest
from bs4 import BeautifulSoup
from django.core.management import call_command
from django.urls import reverse

from tests.factories import CooperationFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def open_data_dir(settings, tmp_path):
    settings.OPEN_DATA_DIR = tmp_path
    return tmp_path


@pytest.fixture
def exported(open_data_dir):
    CooperationFactory(published=True, title="Légumerie partagée")
    call_command("export_open_data", str(open_data_dir), stdout=io.StringIO())
    return open_data_dir


def test_the_page_lists_the_exported_files_with_their_date(client, exported, django_assert_num_queries):
    # Files and schema are read from disk: no query.
    with django_assert_num_queries(0):
        response = client.get(reverse("api:open_data"))
    page = BeautifulSoup(response.content, "html.parser")
    assert page.h1.get_text() == "Données ouvertes et API"
    rows = page.select("table.open-data-files tbody tr")
    links = [row.th.a["href"] for row in rows]
    assert links == [
        "/donnees/cooperations.csv",
        "/donnees/cooperations.json",
        "/donnees/structures-data-inclusion.json",
        "/donnees/schema.json",
        "/donnees/datapackage.json",
    ]
    assert "Dernière mise à jour des fichiers" in page.select_one("#fichiers p").get_text()
    assert "Licence Ouverte / Open Licence version 2.0" in page.select_one("#licence").get_text()
    assert page.find("a", href=reverse("api:docs"))
    # The rate limit stated is the one in force.
    assert "Pas de limite de requêtes." in page.select_one("#api").get_text()
    # Every column of the schema is described.
    assert len(page.select(".schema-fields .facts > div")) == 27


def test_the_page_states_the_rate_limit(client, open_data_dir, settings):
    settings.API_ANON_RATE = "120/minute"
    response = client.get(reverse("api:open_data"))
    text = " ".join(BeautifulSoup(response.content, "html.parser").select_one("#api").get_text().split())
    assert "Au plus 120 requêtes par minute par adresse" in text


def test_before_the_first_export_the_page_says_the_files_are_to_come(client, open_data_dir):
    response = client.get(reverse("api:open_data"))
    page = BeautifulSoup(response.content, "html.parser")
    assert not page.select("table.open-data-files")
    assert "n'ont pas encore été produits" in page.select_one("#fichiers .empty-state").get_text()


def test_the_page_links_only_to_files_that_exist(client, exported):
    (exported / "cooperations.json").unlink()
    page = BeautifulSoup(client.get(reverse("api:open_data")).content, "html.parser")
    links = [row.th.a["href"] for row in page.select("table.open-data-files tbody tr")]
    assert "/donnees/cooperations.json" not in links and len(links) == 4
    for href in links:
        assert client.get(href).status_code == 200


def test_a_file_downloads_with_its_type(client, exported):
    response = client.get(reverse("api:open_data_file", args=["cooperations.csv"]))
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="cooperations.csv"'
    assert "Légumerie partagée" in b"".join(response.streaming_content).decode()


@pytest.mark.parametrize("name", ["inconnu.csv", "..%2Fpyproject.toml", ".cooperations.csv.tmp"])
def test_only_the_export_s_files_can_be_downloaded(client, exported, name):
    (exported / ".cooperations.csv.tmp").write_text("partiel")
    assert client.get(f"/donnees/{name}").status_code == 404


def test_search_engines_find_the_page_and_leave_the_api_s_answers(client):
    assert "<loc>http://testserver/donnees/</loc>" in client.get("/sitemap.xml").content.decode()
    disallowed = [line for line in client.get("/robots.txt").text.splitlines() if line.startswith("Disallow")]
    assert "Disallow: /api/v1/" in disallowed
    assert "Disallow: /api/docs/" not in disallowed and "Disallow: /donnees/" not in disallowed
