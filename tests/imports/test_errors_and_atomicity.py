"""Every bad cell gets a French message naming its line and column; a file with any error, or an
import interrupted midway, writes nothing at all."""

import pytest

import cooperations.imports
from cooperations.columns import COLUMNS
from cooperations.models import Cooperation
from structures.models import Structure

from .conftest import HEADER, csv_file, run_import

pytestmark = pytest.mark.django_db

GOOD = ["Ressourcerie partagée", "stratégique", "59", "Interm'Aide Emploi (AI, porteur)"]

CELL_ERRORS = [
    (
        ["Atelier", "simple", "Seine St Denis", "Interm'Aide Emploi (AI, porteur)"],
        "Ligne 3, colonne départements : « Seine St Denis » est inconnu ; vouliez-vous dire 93 "
        "Seine-Saint-Denis ?",
    ),
    (
        ["Atelier", "renforcé plus", "93", "Interm'Aide Emploi (AI, porteur)"],
        "Ligne 3, colonne niveau : « renforcé plus » est inconnu ; vouliez-vous dire renforcée ?",
    ),
    (
        ["Atelier", "", "93", "Interm'Aide Emploi (AI, porteur)"],
        "Ligne 3, colonne niveau : Indiquez le niveau d'une nouvelle fiche : simple, stratégique, renforcée.",
    ),
    (
        ["", "simple", "93", "Interm'Aide Emploi (AI, porteur)"],
        "Ligne 3, colonne titre : Indiquez le titre d'une nouvelle fiche, ou l'identifiant d'une fiche "
        "existante.",
    ),
    (
        ["Atelier", "simple", "93", "Interm'Aide Emploi (AIX, porteur)"],
        "Ligne 3, colonne participants : « AIX » n'est ni un type de structure, ni un rôle, ni un SIRET. "
        "Écrivez « Nom (type, rôle, SIRET) », par exemple « Interm'Aide Emploi (AI, porteur) ».",
    ),
    (
        ["Atelier", "simple", "93", "Interm'Aide Emploi (AI, porteur, 123 456 789 00000)"],
        "Ligne 3, colonne participants : « 12345678900000 » n'est pas un numéro SIRET valide (14 chiffres, "
        "clé de contrôle correcte).",
    ),
    (
        ["Atelier", "simple", "93", "Structure inconnue"],
        "Ligne 3, colonne participants : Aucune structure ne s'appelle « Structure inconnue » : précisez son "
        "type pour la créer, par exemple « Structure inconnue (AI, partenaire) ».",
    ),
    (
        ["Atelier", "simple", "93", "Interm'Aide Emploi (AI, porteur); interm aide emploi (AI, partenaire)"],
        "Ligne 3, colonne participants : « Interm'Aide Emploi » figure deux fois.",
    ),
    (
        ["Ressourcerie Partagée", "simple", "93", "Interm'Aide Emploi (AI)"],
        "Ligne 3, colonne titre : Cette fiche figure déjà ligne 2.",
    ),
]


@pytest.mark.parametrize(("row", "message"), CELL_ERRORS)
def test_a_bad_cell_is_named_with_its_line_and_column_and_nothing_is_written(reference, row, message):
    report = run_import(csv_file([HEADER, GOOD, row]))
    assert report.messages() == [message]
    assert [r.status for r in report.rows] == ["new", "error"]
    assert not Cooperation.objects.exists()
    assert not Structure.objects.exists()


def test_every_error_of_a_row_is_reported_not_only_the_first(reference):
    header = ["titre", "niveau", "année de démarrage", "emplois créés", "formes", "secteurs"]
    report = run_import(csv_file([header, ["Atelier", "simple", "vers 2015", "-3", "GEM", "Pêche"]]))
    assert report.messages() == [
        "Ligne 2, colonne année de démarrage : « vers 2015 » n'est pas une année entre 1900 et 2100.",
        "Ligne 2, colonne emplois créés : « -3 » doit être un nombre positif.",
        "Ligne 2, colonne formes : « GEM » est inconnu ; vouliez-vous dire GME ?",
        "Ligne 2, colonne secteurs : « Pêche » est inconnu. Valeurs possibles : Alimentation et circuits "
        "courts, Réemploi, recyclage et déchets.",
    ]


def test_a_column_missing_from_the_file_is_named_by_its_french_title(reference):
    report = run_import(csv_file([["titre", "départements"], ["Atelier", "59"]]))
    assert report.messages() == [
        "Ligne 2, colonne niveau : Indiquez le niveau d'une nouvelle fiche : simple, stratégique, renforcée."
    ]


def test_an_unknown_identifier_is_an_error_rather_than_a_new_fiche(reference):
    report = run_import(csv_file([["identifiant", "titre"], ["fiche-qui-n-existe-pas", "Atelier"]]))
    assert report.messages() == [
        "Ligne 2, colonne identifiant : Aucune fiche n'a l'identifiant « fiche-qui-n-existe-pas » ; videz la "
        "cellule pour créer une fiche."
    ]


def test_an_error_on_the_last_row_of_many_writes_nothing(reference):
    rows = [[f"Fiche {i}", "simple", "59", f"Structure {i} (EI, porteur)"] for i in range(50)]
    rows[-1][2] = "Département 1000"
    report = run_import(csv_file([HEADER, *rows]))
    assert report.counts["new"] == 49
    assert report.messages() == ["Ligne 51, colonne départements : « Département 1000 » est inconnu."]
    assert not Cooperation.objects.exists()
    assert not Structure.objects.exists()


def test_a_failure_while_writing_the_last_batch_rolls_everything_back(reference, monkeypatch):
    existing = Cooperation.objects.create(title="Ressourcerie partagée", level="simple", summary="Avant")

    def fail(*args, **kwargs):
        raise RuntimeError("connection lost")

    # Participations are written last, after the structures, the fiches and their links.
    monkeypatch.setattr(cooperations.imports, "insert_rows", fail)
    header = [*HEADER, "résumé"]
    rows = [[*GOOD, "Après"], ["Nouvelle fiche", "simple", "62", "Autre structure (EI, porteur)", ""]]
    with pytest.raises(RuntimeError):
        run_import(csv_file([header, *rows]))
    existing.refresh_from_db()
    assert existing.summary == "Avant"
    assert not existing.departments.exists()
    assert list(Cooperation.objects.all()) == [existing]
    assert not Structure.objects.exists()


def test_an_interrupted_import_writes_nothing(reference, monkeypatch):
    def interrupt(*args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr(cooperations.imports, "insert_rows", interrupt)
    with pytest.raises(KeyboardInterrupt):
        run_import(csv_file([HEADER, GOOD]))
    assert not Cooperation.objects.exists()
    assert not Structure.objects.exists()


def test_a_dry_run_reports_what_would_change_and_writes_nothing(reference):
    report = run_import(csv_file([HEADER, GOOD]), dry_run=True)
    assert report.counts["new"] == 1
    assert report.rows[0].changes == [
        ("participants", "+ Interm'Aide Emploi (AI, porteur) (nouvelle structure)")
    ]
    assert not Cooperation.objects.exists()
    assert not Structure.objects.exists()


def test_a_title_too_long_gets_its_own_message_only(reference):
    report = run_import(csv_file([HEADER, ["É" * 250, "simple", "59", "Interm'Aide Emploi (AI, porteur)"]]))
    assert report.messages() == ["Ligne 2, colonne titre : Le texte compte 250 caractères ; 200 au plus."]


@pytest.mark.parametrize(
    ("column", "length", "limit"),
    [
        ("résumé", 4_001, "4\u202f000"),
        ("contexte", 10_001, "10\u202f000"),
        ("autres chiffres clés", 4_001, "4\u202f000"),
    ],
)
def test_a_text_longer_than_its_column_allows_is_refused(reference, column, length, limit):
    report = run_import(csv_file([["titre", "niveau", column], ["Atelier", "simple", "a" * length]]))
    count = f"{length:,}".replace(",", "\u202f")
    assert report.messages() == [
        f"Ligne 2, colonne {column} : Le texte compte {count} caractères ; {limit} au plus."
    ]
    assert not Cooperation.objects.exists()


def test_the_template_states_each_text_columns_limit(reference):
    allowed = {str(column.header): column.allowed_text() for column in COLUMNS}
    assert allowed["contexte"] == "10\u202f000 caractères au plus"
    assert allowed["résumé"] == "4\u202f000 caractères au plus"
