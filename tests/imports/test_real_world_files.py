"""Files as people send them: encodings, separators, header spellings, stray rows and columns, and the
files that cannot be imported at all, each refused with a French message and nothing written."""

import json
from pathlib import Path

import pytest

from cooperations.models import Cooperation
from spreadsheets.formats import SpreadsheetImportFormat
from spreadsheets.reading import SpreadsheetError
from structures.models import Structure

from .conftest import csv_file, run_import

pytestmark = pytest.mark.django_db

FILES = Path(__file__).parent / "files"
ROW = ["Ressourcerie partagée", "stratégique", "59; Pas-de-Calais", "Interm'Aide Emploi (AI, porteur)"]


def imported():
    return Cooperation.objects.get(title="Ressourcerie partagée")


@pytest.mark.parametrize(
    ("encoding", "delimiter"),
    [("utf-8", ";"), ("utf-8-sig", ";"), ("utf-8", ","), ("cp1252", ";"), ("utf-8-sig", "\t")],
    ids=["utf8-semicolon", "utf8-bom", "utf8-comma", "cp1252-semicolon", "tabs"],
)
def test_csv_files_are_read_whatever_their_encoding_and_separator(reference, encoding, delimiter):
    rows = [
        ["titre", "niveau", "départements", "participants", "résumé"],
        [*ROW, "Réemploi à Pévèle, dès 2015 ; « ça marche »"],
    ]
    report = run_import(csv_file(rows, delimiter=delimiter, encoding=encoding))
    assert report.summary() == "nouvelles : 1 ; modifiées : 0 ; inchangées : 0 ; en erreur : 0"
    fiche = imported()
    assert fiche.summary == "Réemploi à Pévèle, dès 2015 ; « ça marche »"
    assert sorted(fiche.departments.values_list("code", flat=True)) == ["59", "62"]


def test_a_windows_1252_file_from_french_excel_keeps_its_accents(reference):
    data = (
        "Titre;Niveau;Départements;Participants\r\nCoopération Œuvre;renforcée;Nièvre;Élan (EI, porteur)\r\n"
    )
    report = run_import(data.encode("cp1252"))
    assert not report.has_errors, report.messages()
    fiche = Cooperation.objects.get(title="Coopération Œuvre")
    assert fiche.departments.get().name == "Nièvre"
    assert fiche.participations.get().structure.name == "Élan"


@pytest.mark.parametrize("year", [2015, 2015.0, "2015", "2015.0", " 2015 ", "2015,0"])
def test_years_are_read_as_numbers_or_text(reference, year):
    rows = [["titre", "niveau", "année de démarrage"], ["Ressourcerie partagée", "simple", year]]
    report = run_import(json.dumps([dict(zip(rows[0], rows[1], strict=True))]).encode())
    assert not report.has_errors, report.messages()
    assert imported().start_year == 2015


def test_headers_ignore_case_accents_spaces_and_accept_other_spellings(reference):
    rows = [
        ["  TITRE ", "Niveau de coopération", "DEPARTEMENTS", "Structures", "Secteurs d'activité"],
        [*ROW, "alimentation"],
    ]
    report = run_import(csv_file(rows))
    assert not report.has_errors, report.messages()
    assert imported().sectors.get().slug == "alimentation"


def test_empty_trailing_rows_and_columns_are_ignored_and_empty_rows_keep_the_numbering(reference):
    rows = [
        [*["titre", "niveau", "départements", "participants"], "", ""],
        [*ROW, "", ""],
        ["", "", "", "", "", ""],
        ["Deuxième fiche", "simple", "nord", "", "", ""],
        ["", "", "", "", "", ""],
        ["", "", "", "", "", ""],
    ]
    report = run_import(csv_file(rows))
    assert [row.line for row in report.rows] == [2, 4]
    assert report.counts["new"] == 2


def test_a_file_exported_from_a_spreadsheet_with_only_some_columns_changes_only_those(reference):
    run_import(
        csv_file(
            [
                ["titre", "niveau", "départements", "résumé"],
                ["Ressourcerie partagée", "simple", "59", "Avant"],
            ]
        )
    )
    report = run_import(csv_file([["titre", "résumé"], ["Ressourcerie partagée", "Après"]]))
    assert report.summary() == "nouvelles : 0 ; modifiées : 1 ; inchangées : 0 ; en erreur : 0"
    fiche = imported()
    assert (fiche.summary, fiche.level, list(fiche.departments.values_list("code", flat=True))) == (
        "Après",
        "simple",
        ["59"],
    )


@pytest.mark.parametrize("extension", ["xlsx", "xls", "ods"])
def test_xlsx_xls_and_ods_files_written_by_libreoffice_are_imported(reference, extension):
    report = run_import((FILES / f"libreoffice-source.{extension}").read_bytes())
    assert report.summary() == "nouvelles : 3 ; modifiées : 0 ; inchangées : 0 ; en erreur : 0", (
        report.messages()
    )
    assert [row.line for row in report.rows] == [2, 3, 5]  # the empty fourth row is skipped, not renumbered
    fiche = Cooperation.objects.get(title="Ressourcerie partagée du Pévèle")
    assert (fiche.level, fiche.scope, fiche.start_year, fiche.jobs_created) == (
        "strategic",
        "departmental",
        2015,
        12,
    )
    assert (
        fiche.summary
        == "Deux SIAE partagent un atelier de réemploi.\n- collecte commune\n- vente en boutique"
    )
    assert sorted(fiche.forms.values_list("code", flat=True)) == ["gme", "mutualisation"]
    assert sorted(fiche.departments.values_list("code", flat=True)) == ["59", "62"]
    assert list(fiche.communes.values_list("code", flat=True)) == ["59350"]
    ressourcerie = Structure.objects.get(name="Ressourcerie du Pévèle")
    assert (ressourcerie.kind, ressourcerie.siret) == ("ACI", "73282932000074")
    saint_denis = Cooperation.objects.get(title="Chantier nature en Seine-Saint-Denis")
    assert list(saint_denis.communes.values_list("code", flat=True)) == ["93066"]
    assert dict(saint_denis.participations.values_list("structure__kind", "role")) == {
        "ACI": "lead",
        "public_body": "funder",
    }


# --- Files that cannot be imported ---------------------------------------------------------------
REFUSED = [
    ("empty", b"", "Le fichier est vide."),
    ("blank", b"\xef\xbb\xbf \r\n\r\n", "Le fichier est vide."),
    ("header only", b"titre;niveau\r\n", "Le fichier n'a aucune ligne à importer sous sa ligne d'en-tête."),
    (
        "png",
        b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR",
        "Ce fichier n'est pas un tableur lisible : envoyez un fichier CSV, XLSX, XLS, ODS ou JSON. "
        "(fichier PNG)",
    ),
    (
        "binary",
        bytes(range(256)) * 4,
        "Ce fichier n'est pas un tableur lisible : envoyez un fichier CSV, XLSX, XLS, ODS ou JSON.",
    ),
    (
        "word document",
        b"PK\x03\x04" + b"\x00" * 100,
        "Ce fichier n'est pas un tableur lisible : envoyez un fichier CSV, XLSX, XLS, ODS ou JSON.",
    ),
    (
        "damaged xls",
        b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 1016,
        "Ce fichier n'est pas un tableur lisible : envoyez un fichier CSV, XLSX, XLS, ODS ou JSON. "
        "(fichier XLS endommagé)",
    ),
    (
        "broken json",
        b'[{"titre": "x",}]',
        "Le fichier JSON est illisible (ligne 1 : Expecting property name enclosed in double quotes).",
    ),
    ("json scalar", b"[1, 2]", "Un fichier JSON doit contenir une liste d'objets, un par ligne."),
]


@pytest.mark.parametrize(("data", "message"), [r[1:] for r in REFUSED], ids=[r[0] for r in REFUSED])
def test_a_file_that_is_not_a_usable_spreadsheet_is_refused_with_a_message(data, message):
    with pytest.raises(SpreadsheetError) as refused:
        SpreadsheetImportFormat().create_dataset(data)
    assert refused.value.message == message


def test_a_file_over_the_size_limit_is_refused(settings):
    settings.IMPORT_MAX_FILE_SIZE = 1024
    with pytest.raises(SpreadsheetError) as refused:
        SpreadsheetImportFormat().create_dataset(csv_file([["titre"], *[["x" * 100]] * 20]))
    assert (
        refused.value.message
        == "Le fichier pèse 2,0\xa0Kio ; la limite est de 1,0\xa0Kio par import : découpez-le."
    )


def test_a_file_over_the_row_limit_is_refused(settings):
    settings.IMPORT_MAX_ROWS = 3
    with pytest.raises(SpreadsheetError) as refused:
        SpreadsheetImportFormat().create_dataset(csv_file([["titre"], ["a"], ["b"], ["c"], ["d"]]))
    assert refused.value.message == (
        "Le fichier compte plus de 3 lignes de données, la limite d'un import : découpez-le en plusieurs "
        "fichiers."
    )


COLUMN_ERRORS = [
    (
        [["nom du projet", "budget"], ["x", "1"]],
        "Aucune colonne n'est reconnue. Colonnes attendues : identifiant, titre, statut, niveau, formes, "
        "échelle, régions, départements, communes, secteurs, participants, année de démarrage, emplois "
        "créés, personnes accompagnées, autres chiffres clés, résumé, contexte, objectifs, mise en œuvre, "
        "résultats, facteurs de réussite, difficultés, indicateurs, reproductibilité, sources, réseau "
        "référent.",
    ),
    (
        [["titre", "niveau", "departemnts"], ["x", "simple", "59"]],
        "La colonne C « departemnts » est inconnue ; vouliez-vous dire « départements » ? Renommez-la ou "
        "supprimez-la.",
    ),
    (
        [["titre", "niveau", "Titre"], ["x", "simple", "y"]],
        "Les colonnes A et C désignent toutes deux « titre » : gardez-en une.",
    ),
    (
        [["titre", "", "niveau"], ["x", "oublié", "simple"]],
        "La colonne B n'a pas de titre mais contient des valeurs.",
    ),
]


@pytest.mark.parametrize(
    ("rows", "message"), COLUMN_ERRORS, ids=["none known", "unknown", "twice", "untitled"]
)
def test_a_file_whose_columns_are_wrong_is_refused_and_writes_nothing(reference, rows, message):
    report = run_import(csv_file(rows))
    assert report.file_errors == [message]
    assert report.rows == []
    assert not Cooperation.objects.exists()
