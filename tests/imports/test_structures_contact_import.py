"""The contact columns of the structures' spreadsheets: read as people write them, written back alike."""

import pytest

from spreadsheets.formats import EXPORT_FORMATS, SpreadsheetImportFormat
from structures.models import Structure
from structures.resources import StructureResource

from .conftest import csv_file

pytestmark = pytest.mark.django_db

HEADER = ["nom", "type", "adresse", "code postal", "commune", "site web", "e-mail", "téléphone"]


def run_import(data):
    dataset = SpreadsheetImportFormat().create_dataset(data)
    return StructureResource().import_data(dataset, use_transactions=True).report


def test_contact_details_are_imported_as_written_in_a_spreadsheet():
    rows = [
        HEADER,
        [
            "CHACASOL",
            "ACI",
            "21  avenue du Général de Gaulle",
            "90100",
            "Delle",
            "www.chacasol.fr",
            "chacasol90@gmail.com",
            "03.84.27 49 37",
        ],
        ["Atelier belge", "association", "", "", "", "", "", "+32 2 555 12 12"],
    ]
    report = run_import(csv_file(rows))
    assert report.summary() == "nouvelles : 2 ; modifiées : 0 ; inchangées : 0 ; en erreur : 0", (
        report.messages()
    )
    chacasol = Structure.objects.get(name="CHACASOL")
    assert (
        chacasol.address,
        chacasol.postal_code,
        chacasol.commune_id,
        chacasol.website,
        chacasol.email,
        chacasol.phone.as_e164,
    ) == (
        "21 avenue du Général de Gaulle",
        "90100",
        "90033",
        "https://www.chacasol.fr",
        "chacasol90@gmail.com",
        "+33384274937",
    )
    assert Structure.objects.get(name="Atelier belge").phone.as_e164 == "+3225551212"


def test_bad_contact_cells_are_reported_in_french_and_nothing_is_written():
    rows = [HEADER, ["CHACASOL", "ACI", "", "9010", "", "pas un site", "chacasol@", "03 84"]]
    assert run_import(csv_file(rows)).messages() == [
        "Ligne 2, colonne site web : « pas un site » n'est pas une adresse web valide.",
        "Ligne 2, colonne e-mail : « chacasol@ » n'est pas une adresse e-mail valide.",
        "Ligne 2, colonne téléphone : « 03 84 » n'est pas un numéro de téléphone valide : dix chiffres pour "
        "la France (03 84 27 49 37), l'indicatif pour l'étranger (+32 2 555 12 12).",
        "Ligne 2, colonne code postal : Un code postal s'écrit avec cinq chiffres, par exemple 90100.",
    ]
    assert not Structure.objects.exists()


def test_a_changed_phone_is_shown_in_the_preview_and_an_equal_one_written_otherwise_is_unchanged():
    Structure.objects.create(name="CHACASOL", kind="ACI", phone="+33384274937")
    same = run_import(csv_file([["nom", "type", "téléphone"], ["CHACASOL", "ACI", "03 84 27 49 37"]]))
    assert same.summary() == "nouvelles : 0 ; modifiées : 0 ; inchangées : 1 ; en erreur : 0"
    changed = run_import(csv_file([["nom", "type", "téléphone"], ["CHACASOL", "ACI", "03 84 27 49 38"]]))
    assert changed.rows[0].changes == [("téléphone", "« +33 3 84 27 49 37 » → « +33 3 84 27 49 38 »")]


@pytest.mark.parametrize("fmt", sorted(EXPORT_FORMATS))
def test_contact_details_export_and_import_back_with_no_change(fmt):
    run_import(
        csv_file(
            [
                HEADER,
                [
                    "CHACASOL",
                    "ACI",
                    "21 avenue du Général de Gaulle",
                    "90100",
                    "Delle",
                    "",
                    "a@b.fr",
                    "0384274937",
                ],
                ["Atelier belge", "association", "", "", "", "https://atelier.be", "", "+32 2 555 12 12"],
            ]
        )
    )
    before = list(Structure.objects.order_by("pk").values())
    exported = StructureResource().export(Structure.objects.all())
    assert exported.dict[0]["téléphone"] == "03 84 27 49 37"  # as French readers write it
    report = run_import(EXPORT_FORMATS[fmt]().export_data(exported))
    assert report.summary() == "nouvelles : 0 ; modifiées : 0 ; inchangées : 2 ; en erreur : 0", (
        report.messages()
    )
    assert list(Structure.objects.order_by("pk").values()) == before
