"""structures/annuaire.py: the Recherche d'entreprises API read as candidates, from recorded answers."""

import pytest

from structures import annuaire
from tests.factories import CommuneFactory, DepartmentFactory
from tests.recorded_registry import recorded


def test_a_search_by_name_is_narrowed_by_the_commune_and_lists_each_company(registry):
    candidates = annuaire.search("Interm'Aide Emploi", commune="76540", department="76")

    assert registry.requests == [
        {"q": "Interm'Aide Emploi", "page": "1", "per_page": "10", "code_commune": "76540"}
    ]
    first, closed = candidates
    assert (first.name, first.siret, first.siren) == ("INTERM'AIDE EMPLOI", "41234567000019", "412345670")
    assert first.address == "12 RUE DE LA REPUBLIQUE 76000 ROUEN"
    assert (first.street, first.postal_code, first.commune_code) == (
        "12 Rue de la Republique",
        "76000",
        "76540",
    )
    assert (first.activity, first.is_open, first.is_siae, first.kind) == ("78.20Z", True, True, "AI")
    assert (closed.name, closed.is_open, closed.is_siae, closed.kind) == (
        "INTERMAIDE SERVICES",
        False,
        False,
        "",
    )


def test_a_search_by_department_asks_for_it_when_the_commune_is_unknown(registry):
    annuaire.search("Interm'Aide Emploi", department="76")
    assert registry.requests[0]["departement"] == "76"
    assert "code_commune" not in registry.requests[0]


def test_a_siret_is_searched_directly_without_places(registry):
    (candidate,) = annuaire.search("412 345 670 00019", commune="76540")
    assert registry.requests == [{"q": "41234567000019", "page": "1", "per_page": "10"}]
    assert candidate.siret == "41234567000019" and candidate.is_head_office


def test_the_recorded_answers_have_the_documented_shape():
    payload = recorded("search-by-name.json")
    assert set(payload) == {"results", "total_results", "page", "per_page", "total_pages"}
    result = payload["results"][0]
    for key in ("siren", "nom_complet", "siege", "activite_principale", "etat_administratif", "complements"):
        assert key in result
    assert {"siret", "adresse", "commune", "code_postal", "libelle_commune", "etat_administratif"} <= set(
        result["siege"]
    )
    assert {"est_siae", "type_siae"} <= set(result["complements"])


@pytest.mark.parametrize(
    ("failure", "message"),
    [
        ("timeout", "n'a pas répondu à temps"),
        ("unreachable", "ne peut pas être joint"),
        (429, "trop de demandes"),
        (500, "erreur 500"),
        (400, "Veuillez indiquer au moins 3 caractères"),
    ],
)
def test_a_registry_that_fails_is_said_so_in_french(registry, failure, message):
    registry.failure = failure
    with pytest.raises(annuaire.RegistryUnavailable, match=message):
        annuaire.search("Interm'Aide Emploi")


def test_the_timeout_and_address_are_settings(registry, settings):
    settings.RECHERCHE_ENTREPRISES_URL = "https://annuaire.example/"
    settings.RECHERCHE_ENTREPRISES_TIMEOUT = 7
    sent = {}
    original = annuaire.SESSION.get

    def spy(url, **kwargs):
        sent.update(url=url, timeout=kwargs["timeout"])
        return original(url, **kwargs)

    annuaire.SESSION.get = spy
    annuaire.search("Interm'Aide Emploi")
    assert sent == {"url": "https://annuaire.example/search", "timeout": 7}


@pytest.mark.django_db
def test_a_candidate_proposes_our_fields_with_its_commune_found_in_our_territories(registry):
    rouen = CommuneFactory(code="76540", name="Rouen", department=DepartmentFactory(code="76"))
    (candidate,) = annuaire.search("41234567000019")
    values = annuaire.proposed_values(candidate)
    assert values["siret"] == ("41234567000019", "41234567000019")
    assert values["address"][0] == "12 Rue de la Republique"
    assert values["postal_code"][0] == "76000"
    assert values["commune"][0] == str(rouen)
    assert values["kind"] == ("AI", "Association intermédiaire (AI)")


def test_paris_arrondissements_are_found_in_paris(db):
    candidate = annuaire.Candidate(**{**EMPTY, "commune_code": "75115"})
    assert annuaire.commune_of(candidate).code == "75056"


EMPTY = {
    "siren": "",
    "siret": "",
    "name": "",
    "address": "",
    "street": "",
    "postal_code": "",
    "commune_code": "",
    "commune_name": "",
    "activity": "",
    "is_open": True,
    "is_siae": False,
    "siae_kind": "",
    "is_head_office": False,
}


def test_addresses_in_capitals_are_written_as_people_write_them():
    assert annuaire.street_of("3 PLACE DU VIEUX MARCHE 76000 ROUEN", "76000") == "3 Place du Vieux Marche"
    assert annuaire.street_of("ZA DES AULNES 59000 LILLE", "59000") == "ZA des Aulnes"
    assert annuaire.readable("12 rue Nationale") == "12 rue Nationale"
