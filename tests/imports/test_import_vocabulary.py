"""The import accepts the words the search knows: the field's synonyms (« régie de quartier » for the form
RQ) and the sectors' short names (« BTP »), with a suggestion when a value is misspelt."""

import pytest

from cooperations.models import Cooperation, CooperationForm
from structures.models import Sector

from .conftest import csv_file, run_import

pytestmark = pytest.mark.django_db

HEADER = ["titre", "niveau", "départements", "participants", "formes", "secteurs"]


@pytest.fixture
def vocabulary():
    # The Synonym line « RQ ; régie de quartier ; régie de territoire » is written by a data migration.
    rq = "Régie de quartier ou régie de territoire"
    CooperationForm.objects.create(code="rq", short_name="RQ", name=rq)
    Sector.objects.create(slug="batiment", name="Bâtiment et travaux publics", short_names="BTP")
    Sector.objects.create(slug="services-personne", name="Services à la personne", short_names="SAP")


def row(forms, sectors):
    return ["Régie des Hauts", "simple", "76", "Interm'Aide Emploi (AI, porteur)", forms, sectors]


def test_a_synonym_and_a_short_name_are_accepted_as_the_search_accepts_them(vocabulary):
    report = run_import(csv_file([HEADER, row("Régie de quartier", "BTP; sap")]))
    assert report.messages() == []
    fiche = Cooperation.objects.get(title="Régie des Hauts")
    assert list(fiche.forms.values_list("code", flat=True)) == ["rq"]
    assert sorted(fiche.sectors.values_list("slug", flat=True)) == ["batiment", "services-personne"]


def test_a_misspelt_short_name_gets_a_suggestion(vocabulary):
    report = run_import(csv_file([HEADER, row("régie de quartiers", "BPT")]))
    assert report.messages() == [
        "Ligne 2, colonne formes : « régie de quartiers » est inconnu ; vouliez-vous dire RQ ?",
        "Ligne 2, colonne secteurs : « BPT » est inconnu ; vouliez-vous dire Bâtiment et travaux publics ?",
    ]
    assert not Cooperation.objects.exists()
