import io
import zipfile
from decimal import Decimal

from openpyxl import load_workbook
from python_calamine import CalamineWorkbook

from spreadsheets.formats import XLSXExport
from spreadsheets.reading import read_table
from spreadsheets.xlsx import write_xlsx

HEADERS = ["titre", "texte", "nombre"]
ROWS = [
    ["a & <b> > c", "Première ligne\nseconde ligne", 3],
    ["  espaces au bord  ", "une phrase de plus de trente caractères, qui passe à la ligne", 2.5],
    ["=1+1", None, Decimal("12.50")],
    ["retour\r\nchariot", "", True],
    ["caractères\x00 \x07interdits\x1f", "'apostrophe", -4],
]


def _written(rows=ROWS, **kwargs):
    return write_xlsx(HEADERS, rows, title="Fiches & <co>", widths=[10, 42, 12], **kwargs)


def test_every_cell_reads_back_as_written_with_openpyxl():
    sheet = load_workbook(io.BytesIO(_written())).active
    assert sheet.title == "Fiches & <co>"
    assert [[cell.value for cell in row] for row in sheet.iter_rows()] == [
        HEADERS,
        ["a & <b> > c", "Première ligne\nseconde ligne", 3],
        ["  espaces au bord  ", "une phrase de plus de trente caractères, qui passe à la ligne", 2.5],
        ["=1+1", None, 12.5],
        ["retour\r\nchariot", None, True],
        ["caractères interdits", "'apostrophe", -4],
    ]
    formula = sheet["A4"]
    assert formula.data_type == "s"  # a text, never run


def test_every_cell_reads_back_with_calamine_and_the_import_reader():
    rows = CalamineWorkbook.from_filelike(io.BytesIO(_written())).get_sheet_by_index(0).to_python()
    assert rows[1] == ["a & <b> > c", "Première ligne\nseconde ligne", 3]
    assert rows[2][0] == "  espaces au bord  "
    assert rows[3] == ["=1+1", "", 12.5]
    assert rows[5][0] == "caractères interdits"
    table = read_table(_written())
    assert table.headers == HEADERS
    assert [values[0] for _line, values in table.rows][:2] == ["a & <b> > c", "  espaces au bord  "]


def test_the_header_is_bold_and_frozen_the_long_texts_wrap_and_the_widths_are_kept():
    sheet = load_workbook(io.BytesIO(_written())).active
    assert all(cell.font.bold for cell in sheet[1])
    assert not sheet["A2"].font.bold
    assert sheet.freeze_panes == "A2"
    assert sheet["B3"].alignment.wrap_text and sheet["B3"].alignment.vertical == "top"
    assert not sheet["A2"].alignment.wrap_text and sheet["A2"].alignment.vertical == "top"
    assert [sheet.column_dimensions[letter].width for letter in "ABC"] == [10, 42, 12]


def test_an_empty_value_writes_no_cell():
    with zipfile.ZipFile(io.BytesIO(_written())) as package:
        sheet = package.read("xl/worksheets/sheet1.xml").decode()
    assert 'r="B4"' not in sheet and 'r="B5"' not in sheet
    assert 'r="C4"' in sheet


def test_quoted_replaces_the_texts_starting_with_an_apostrophe():
    sheet = load_workbook(io.BytesIO(_written(quoted=lambda text: "'" + text))).active
    assert sheet["B6"].value == "''apostrophe"
    assert sheet["A2"].value == "a & <b> > c"


def test_the_export_format_keeps_an_already_neutralised_text_exact_on_import():
    data = XLSXExport().write(["titre"], [["'=SOMME(A1)"], ["- une liste"]], title="Feuille")
    sheet = load_workbook(io.BytesIO(data)).active
    assert [sheet["A2"].value, sheet["A3"].value] == ["''=SOMME(A1)", "- une liste"]


def test_thousands_of_rows_are_all_written_in_order():
    rows = [[f"fiche {n}", None, n] for n in range(2345)]
    sheet = load_workbook(io.BytesIO(_written(rows)), read_only=True).active
    values = list(sheet.iter_rows(min_row=2, values_only=True))
    assert values == [(f"fiche {n}", None, n) for n in range(2345)]
