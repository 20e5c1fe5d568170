"""The vocabulary gaps found by trying the search as a new user would, on the real seeded fiches:
short names of sectors, misspellings with no result, the commune notice, numbers."""

import re

import pytest
from bs4 import BeautifulSoup
from django.urls import reverse

URL = reverse("cooperations:list")
BATIMENT = ["BATI + et le ministère", "TriVEL", "Zest'"]


@pytest.fixture
def seed(seeded, db):
    return seeded


def titles(response):
    return [" ".join(card.title.replace("\xa0", " ").split()) for card in response.context["cooperations"]]


def starting(found, *prefixes):
    return sorted(prefix for prefix in prefixes if any(title.startswith(prefix) for title in found))


def notices(response):
    soup = BeautifulSoup(response.content, "html.parser")
    return [re.sub(r"[ \n\t]+", " ", p.get_text()).strip() for p in soup.select("p.notice")]


def heading(response):
    soup = BeautifulSoup(response.content, "html.parser")
    return soup.select_one("#results-heading").get_text()


def test_btp_finds_every_fiche_of_the_sector_batiment(client, seed):
    found = titles(client.get(URL, {"q": "BTP"}))
    assert starting(found, *BATIMENT) == sorted(BATIMENT)
    assert len(found) == 3


def test_sap_finds_the_services_a_la_personne(client, seed):
    assert titles(client.get(URL, {"q": "SAP"}))[0].startswith("Partage 44")


def test_one_missing_letter_is_corrected_and_suggested(client, seed):
    response = client.get(URL, {"q": "blanchiserie"})
    assert titles(response)[0].startswith("« Vert(s) des choix solidaires »")
    soup = BeautifulSoup(response.content, "html.parser")
    assert soup.select_one("p.suggestion a").get_text() == "«\xa0blanchisserie\xa0»"


def test_a_suggestion_never_keeps_a_misspelt_word(client, seed):
    search = client.get(URL, {"q": "blanchiserie industrielle"}).context["filterset"].search
    assert search.suggestion == "blanchisserie industriel"
    # A word close to nothing the directory knows is left out rather than suggested as typed.
    search = client.get(URL, {"q": "blanchiserie zqxwvk"}).context["filterset"].search
    assert search.suggestion == "blanchisserie"


def test_a_commune_without_fiches_in_its_department_says_so_above_no_result(client, seed):
    response = client.get(URL, {"q": "Perpignan"})
    assert heading(response) == "Aucune coopération"
    assert "Aucune fiche ne cite «\xa0Perpignan\xa0», ni son département (Pyrénées-Orientales)." in notices(
        response
    )
    assert not any("voici" in notice for notice in notices(response))


def test_a_department_code_finds_its_fiches_not_a_percentage(client, seed):
    found = titles(client.get(URL, {"q": "93"}))
    # Partage 44 says « 93 % des personnes … » and lies in Loire-Atlantique.
    assert sorted(found) == sorted(
        t for t in found if t.startswith(("Acces Inclusive Tech", "Ferme de la Butte Pinson"))
    )
    assert len(found) == 2


def test_a_postal_code_finds_the_fiches_of_its_commune_and_department(client, seed):
    found = titles(client.get(URL, {"q": "76000"}))
    assert starting(found, "Interm'Aide Emploi et sept", "Ruchers urbains à Rouen") == [
        "Interm'Aide Emploi et sept",
        "Ruchers urbains à Rouen",
    ]


def test_a_year_finds_the_fiches_started_that_year(client, seed):
    found = titles(client.get(URL, {"q": "2009"}))
    assert len(found) == 1 and found[0].startswith("BATI + et le ministère")
    # With words, the year narrows them: the chantier d'insertion started in 2015.
    assert titles(client.get(URL, {"q": "chantier d'insertion 2015"}))[0].startswith("Vert ChezMoi")


def test_an_excluded_number_excludes_its_department_not_a_percentage(client, seed):
    found = titles(client.get(URL, {"q": "insertion -93"}))
    assert not starting(found, "Acces Inclusive Tech", "Ferme de la Butte Pinson")
    # Partage 44 writes « 93 % des personnes … » and lies in Loire-Atlantique: still found.
    assert titles(client.get(URL, {"q": "aide à domicile -93"}))[0].startswith("Partage 44")


def test_a_hyphenated_word_of_a_title_is_found_joined_and_the_joined_one_hyphenated(client, seed):
    found = titles(client.get(URL, {"q": "ecopaturage"}))
    assert starting(found, "Les biquettes de l'Espoir", "Ferme de la Butte Pinson") == [
        "Ferme de la Butte Pinson",
        "Les biquettes de l'Espoir",
    ]
    assert starting(titles(client.get(URL, {"q": "éco-pâturage"})), "Ferme de la Butte Pinson") == [
        "Ferme de la Butte Pinson"
    ]
