"""Importing the same file twice changes nothing the second time; exported cells that a spreadsheet
would run as formulas are neutralised, and the import restores them."""

import csv
import io

import pytest
from openpyxl import load_workbook

from cooperations.exports import export_cooperations
from cooperations.models import Cooperation

from .conftest import csv_file, run_import
from .test_round_trip import snapshot

pytestmark = pytest.mark.django_db


def test_importing_the_same_file_twice_changes_nothing_the_second_time(reference):
    rows = [
        ["titre", "niveau", "départements", "participants", "secteurs", "résumé"],
        [
            "Ressourcerie partagée",
            "stratégique",
            "59; 62",
            "Interm'Aide Emploi (AI, porteur); Mondial Tissus (entreprise, client)",
            "alimentation",
            "- un\n- deux",
        ],
        ["Cantine solidaire", "simple", "62", "Terre d'Opale (association, porteur)", "", ""],
    ]
    data = csv_file(rows)
    first = run_import(data)
    assert first.counts["new"] == 2
    before = snapshot()
    second = run_import(data)
    assert second.summary() == "nouvelles : 0 ; modifiées : 0 ; inchangées : 2 ; en erreur : 0"
    assert all(row.changes == [] for row in second.rows)
    assert snapshot() == before  # updated_at included: no row was saved again


def test_exported_cells_that_start_like_a_formula_are_neutralised_and_restored_on_import(reference):
    fiche = Cooperation.objects.create(
        title='=HYPERLINK("http://exemple.org")',
        level="simple",
        summary="- une liste\n- Markdown",
        context="+33 1 23 45 67 89",
        objectives="@mention",
        results="'=déjà une apostrophe",
    )
    data, _type, _name = export_cooperations(Cooperation.objects.all(), "csv")
    row = dict(zip(*list(csv.reader(io.StringIO(data.decode("utf-8-sig")), delimiter=";")), strict=True))
    assert row["titre"] == '\'=HYPERLINK("http://exemple.org")'
    assert (row["résumé"], row["contexte"], row["objectifs"]) == (
        "'- une liste\n- Markdown",
        "'+33 1 23 45 67 89",
        "'@mention",
    )
    assert row["résultats"] == "''=déjà une apostrophe"
    # XLSX cells are typed: a text is text, which no spreadsheet runs, and keeps its first character.
    xlsx, _type, _name = export_cooperations(Cooperation.objects.all(), "xlsx")
    sheet = load_workbook(io.BytesIO(xlsx)).active
    cells = {sheet.cell(1, column).value: sheet.cell(2, column) for column in range(1, sheet.max_column + 1)}
    assert (cells["titre"].value, cells["titre"].data_type) == ('=HYPERLINK("http://exemple.org")', "s")
    assert (cells["résumé"].value, cells["contexte"].value) == (
        "- une liste\n- Markdown",
        "+33 1 23 45 67 89",
    )
    assert cells["résultats"].value == "''=déjà une apostrophe"

    before = snapshot()
    for exported in (data, xlsx, export_cooperations(Cooperation.objects.all(), "ods")[0]):
        assert run_import(exported).counts["unchanged"] == 1
    assert snapshot() == before
    fiche.refresh_from_db()
    assert fiche.results == "'=déjà une apostrophe"


def test_the_json_export_is_plain_data(reference):
    Cooperation.objects.create(title="=1+1", level="simple", start_year=2015)
    data, content_type, filename = export_cooperations(Cooperation.objects.all(), "json")
    assert content_type == "application/json"
    assert filename.endswith(".json")
    assert b'"titre": "=1+1"' in data
    assert b'"ann\xc3\xa9e de d\xc3\xa9marrage": 2015' in data
