"""Structures imported one per row: found by identifier, SIRET, or name and type; created otherwise."""

import pytest

from spreadsheets.formats import EXPORT_FORMATS, SpreadsheetImportFormat
from structures.models import Network, Sector, Structure
from structures.resources import StructureResource

from .conftest import csv_file

pytestmark = pytest.mark.django_db

HEADER = ["nom", "type", "SIRET", "commune", "département", "site web", "secteurs", "réseaux"]


def run_import(data, dry_run=False):
    dataset = SpreadsheetImportFormat().create_dataset(data)
    return StructureResource().import_data(dataset, dry_run=dry_run, use_transactions=True).report


@pytest.fixture
def sectors(db):
    return [Sector.objects.create(slug="proprete", name="Propreté et nettoyage")]


def test_new_structures_are_created_with_their_place_sectors_and_networks(sectors):
    rows = [
        HEADER,
        [
            "Vitaservices",
            "EI",
            "732 829 320 00074",
            "Lille",
            "",
            "https://vitaservices.fr",
            "propreté et nettoyage",
            "Vitamine T; Fédération des entreprises d'insertion",
        ],
        ["Tremplin", "Atelier et chantier d'insertion", "", "", "Ain", "", "", "Vitamine T"],
    ]
    report = run_import(csv_file(rows))
    assert report.summary() == "nouvelles : 2 ; modifiées : 0 ; inchangées : 0 ; en erreur : 0", (
        report.messages()
    )
    vita = Structure.objects.get(name="Vitaservices")
    assert (vita.kind, vita.siret, vita.commune_id, vita.department_id, vita.slug, vita.search_name) == (
        "EI",
        "73282932000074",
        "59350",
        "59",
        "vitaservices",
        "vitaservices",
    )
    assert list(vita.sectors.values_list("slug", flat=True)) == ["proprete"]
    assert sorted(vita.networks.values_list("name", flat=True)) == [
        "Fédération des entreprises d'insertion",
        "Vitamine T",
    ]
    assert Network.objects.count() == 2
    assert Structure.objects.get(name="Tremplin").department_id == "01"


def test_a_row_finds_its_structure_by_siret_then_by_name_and_type(sectors):
    by_siret = Structure.objects.create(name="Ancien nom", kind="EI", siret="73282932000074")
    by_name = Structure.objects.create(name="Tremplin", kind="ACI")
    rows = [
        ["nom", "type", "SIRET", "description"],
        ["Vitaservices", "EI", "73282932000074", "Nettoyage"],
        ["TREMPLIN", "aci", "", "Couture"],
    ]
    report = run_import(csv_file(rows))
    assert [row.status for row in report.rows] == ["update", "update"]
    assert report.rows[0].changes == [
        ("nom", "« Ancien nom » → « Vitaservices »"),
        ("description", "«  » → « Nettoyage »"),
    ]
    by_siret.refresh_from_db()
    by_name.refresh_from_db()
    assert (by_siret.name, by_siret.search_name, by_name.description) == (
        "Vitaservices",
        "vitaservices",
        "Couture",
    )
    assert Structure.objects.count() == 2


def test_bad_cells_are_reported_and_nothing_is_written(sectors):
    rows = [
        HEADER,
        ["Vitaservices", "EI", "123", "Lille", "62", "pas une adresse", "", ""],
        ["Sans type", "", "", "", "", "", "", ""],
        ["Vitaservices", "EI", "", "", "", "", "", ""],
    ]
    assert run_import(csv_file(rows)).messages() == [
        "Ligne 2, colonne SIRET : « 123 » n'est pas un numéro SIRET valide (14 chiffres, clé de contrôle "
        "correcte).",
        "Ligne 2, colonne département : Le département ne correspond pas à celui de la commune (59 Nord).",
        "Ligne 2, colonne site web : « pas une adresse » n'est pas une adresse web valide.",
        "Ligne 3, colonne type : Indiquez le type d'une nouvelle structure : ACI, AI, EI, ETTI, EITI, "
        "GEIQ, SIAE, GES, EA, EATT, ESAT, entreprise, bailleur social, collectivité territoriale, "
        "service de l'État, service public de l'emploi, acteur public, association, association "
        "gestionnaire, fondation, réseau / fédération, recherche / formation, autre.",
        "Ligne 4 : Cette structure figure déjà ligne 2.",
    ]
    assert not Structure.objects.exists()
    assert not Network.objects.exists()


@pytest.mark.parametrize("fmt", sorted(EXPORT_FORMATS))
def test_the_export_of_structures_imports_back_with_no_change(sectors, fmt):
    run_import(
        csv_file(
            [
                HEADER,
                [
                    "Vitaservices",
                    "EI",
                    "73282932000074",
                    "Lille",
                    "",
                    "https://v.fr",
                    "Propreté et nettoyage",
                    "Vitamine T",
                ],
                ["Tremplin", "ACI", "", "", "01", "", "", ""],
            ]
        )
    )
    before = list(Structure.objects.order_by("pk").values())
    data = EXPORT_FORMATS[fmt]().export_data(StructureResource().export(Structure.objects.all()))
    report = run_import(data)
    assert report.summary() == "nouvelles : 0 ; modifiées : 0 ; inchangées : 2 ; en erreur : 0", (
        report.messages()
    )
    assert list(Structure.objects.order_by("pk").values()) == before


def test_a_structure_cannot_take_the_name_or_the_siret_of_another(sectors):
    Structure.objects.create(name="Vitaservices", kind="EI", siret="73282932000074")
    Structure.objects.create(name="Tremplin", kind="ACI")
    rows = [
        ["identifiant", "nom", "type", "SIRET"],
        ["tremplin", "Vitaservices", "EI", ""],
        ["tremplin", "Tremplin", "ACI", "73282932000074"],
    ]
    assert run_import(csv_file(rows[:2])).messages() == [
        "Ligne 2 : Une autre structure de ce type porte déjà ce nom : « vitaservices »."
    ]
    assert run_import(csv_file([rows[0], rows[2]])).messages() == [
        "Ligne 2 : Ce SIRET est déjà celui de « vitaservices »."
    ]
    assert Structure.objects.get(slug="tremplin").name == "Tremplin"


@pytest.mark.parametrize(
    ("column", "value", "message"),
    [
        ("nom", "N" * 201, "Ligne 2, colonne nom : Le texte compte 201 caractères ; 200 au plus."),
        (
            "site web",
            "https://example.org/" + "a" * 190,
            "Ligne 2, colonne site web : Le texte compte 210 caractères ; 200 au plus.",
        ),
        (
            "description",
            "d" * 5_001,
            "Ligne 2, colonne description : Le texte compte 5\u202f001 caractères ; 5\u202f000 au plus.",
        ),
    ],
)
def test_a_text_longer_than_its_column_allows_is_refused(db, column, value, message):
    row = {"nom": "Vitaservices", "type": "EI", column: value}
    report = run_import(csv_file([list(row), list(row.values())]))
    assert report.messages() == [message]
    assert not Structure.objects.exists()
