"""The spreadsheet reader on what real files contain, beyond what our own exports write."""

import datetime
import io
import zipfile
from pathlib import Path

import pytest
from odf.office import Annotation
from odf.opendocument import OpenDocumentSpreadsheet
from odf.table import CoveredTableCell, Table, TableCell, TableRow
from odf.text import P, S
from openpyxl import Workbook

from spreadsheets.formats import neutralise, unneutralise
from spreadsheets.reading import SpreadsheetError, read_table


def ods(*rows):
    """An ODS file from rows of (value, attributes) cells, as LibreOffice writes them."""
    document = OpenDocumentSpreadsheet()
    table = Table(name="Feuille1")
    document.spreadsheet.addElement(table)
    for cells, repeat in rows:
        row = TableRow(numberrowsrepeated=repeat) if repeat > 1 else TableRow()
        table.addElement(row)
        for cell in cells:
            row.addElement(cell)
    second = Table(name="Notes")
    document.spreadsheet.addElement(second)
    note = TableRow()
    second.addElement(note)
    note.addElement(text_cell("ne pas lire"))
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def text_cell(*paragraphs, **attributes):
    cell = TableCell(valuetype="string", **attributes)
    for paragraph in paragraphs:
        cell.addElement(P(text=paragraph))
    return cell


def test_ods_repeated_cells_and_rows_and_only_the_first_sheet():
    number = TableCell(valuetype="float", value="2015")
    number.addElement(P(text="2015"))
    spaced = TableCell(valuetype="string")
    paragraph = P(text="a")
    paragraph.addElement(S(c=3))
    paragraph.addText("b")
    spaced.addElement(paragraph)
    commented = text_cell("valeur")
    annotation = Annotation()
    annotation.addElement(P(text="un commentaire"))
    commented.insertBefore(annotation, commented.firstChild)
    data = ods(
        ([text_cell("titre"), text_cell("année"), text_cell("x"), text_cell("y"), text_cell("z")], 1),
        (
            [
                text_cell("A"),
                TableCell(numbercolumnsrepeated=2),
                text_cell("après", "deux lignes"),
                CoveredTableCell(),
            ],
            1,
        ),
        ([text_cell("même"), number, spaced, commented], 2),
        ([TableCell(numbercolumnsrepeated=1024)], 1_000_000),
    )
    table = read_table(data)
    assert table.kind == "ods"
    assert table.headers == ["titre", "année", "x", "y", "z"]
    assert table.rows == [
        (2, ["A", "", "", "après\ndeux lignes", ""]),
        (3, ["même", 2015, "a   b", "valeur", ""]),
        (4, ["même", 2015, "a   b", "valeur", ""]),
    ]


def test_xlsx_first_sheet_numbers_dates_gaps_and_rich_text():
    book = Workbook()
    sheet = book.active
    sheet.append(["titre", "année", "date", "nombre"])
    sheet.append(["A", 2015, datetime.date(2015, 3, 1), 1.5])
    sheet["A5"] = "après deux lignes vides"
    sheet["D5"] = "=1+1"  # a formula: its cached value is read, or nothing when it has none
    notes = book.create_sheet("Mode d'emploi")
    notes.append(["ne pas lire"])
    book.active = 1  # saved with the explanation sheet open
    out = io.BytesIO()
    book.save(out)
    table = read_table(out.getvalue())
    assert table.headers == ["titre", "année", "date", "nombre"]
    assert table.rows == [
        (2, ["A", 2015, datetime.date(2015, 3, 1), 1.5]),
        (5, ["après deux lignes vides", "", "", ""]),
    ]


def test_a_sheet_starting_below_and_right_of_a1_keeps_its_line_numbers_and_column_letters():
    book = Workbook()
    sheet = book.active
    sheet["C3"], sheet["D3"] = "titre", "niveau"
    sheet["C4"], sheet["D6"] = "Cantine", "simple"
    out = io.BytesIO()
    book.save(out)
    table = read_table(out.getvalue())
    assert table.headers == ["", "", "titre", "niveau"]
    assert table.rows == [(4, ["", "", "Cantine", ""]), (6, ["", "", "", "simple"])]


def test_xlsx_in_strict_open_xml_with_inline_strings():
    strict = "http://purl.oclc.org/ooxml/spreadsheetml/main"
    relationships = "http://purl.oclc.org/ooxml/officeDocument/relationships"
    package = "http://schemas.openxmlformats.org/package/2006"
    main = "application/vnd.openxmlformats-officedocument.spreadsheetml"
    files = {
        "[Content_Types].xml": f'<Types xmlns="{package}/content-types">'
        f'<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        f'<Override PartName="/xl/workbook.xml" ContentType="{main}.sheet.main+xml"/>'
        f'<Override PartName="/xl/worksheets/feuille.xml" ContentType="{main}.worksheet+xml"/></Types>',
        "_rels/.rels": f'<Relationships xmlns="{package}/relationships"><Relationship Id="rId1" '
        f'Type="{relationships}/officeDocument" Target="xl/workbook.xml"/></Relationships>',
        "xl/workbook.xml": f'<workbook xmlns="{strict}" xmlns:r="{relationships}"><sheets>'
        '<sheet name="Données" sheetId="1" r:id="rId1"/></sheets></workbook>',
        "xl/_rels/workbook.xml.rels": '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        '<Relationship Id="rId1" '
        f'Type="{relationships}/worksheet" Target="/xl/worksheets/feuille.xml"/></Relationships>',
        "xl/worksheets/feuille.xml": f'<worksheet xmlns="{strict}"><sheetData>'
        '<row r="1"><c r="A1" t="inlineStr"><is><t>titre</t></is></c>'
        '<c r="C1" t="inlineStr"><is><r><t>ni</t></r><r><t>veau</t></r></is></c></row>'
        '<row r="2"><c r="A2" t="inlineStr"><is><t>Cantine</t></is></c><c r="C2" t="b"><v>1</v></c></row>'
        "</sheetData></worksheet>",
    }
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for name, content in files.items():
            archive.writestr(name, content)
    table = read_table(out.getvalue())
    assert (table.headers, table.rows) == (["titre", "", "niveau"], [(2, ["Cantine", "", True])])


@pytest.mark.parametrize("encoding", ["utf-16", "utf-8-sig", "cp1252"])
def test_csv_in_the_encodings_spreadsheets_save(encoding):
    table = read_table("titre\tniveau\r\nCoopération\trenforcée\r\n".encode(encoding))
    assert table.rows == [(2, ["Coopération", "renforcée"])]


@pytest.mark.parametrize(
    ("stored", "exported"),
    [
        ("=SOMME(A1)", "'=SOMME(A1)"),
        ("+33 1", "'+33 1"),
        ("- liste", "'- liste"),
        ("@moi", "'@moi"),
        ("'=déjà", "''=déjà"),
        ("'apostrophe", "'apostrophe"),
        ("texte", "texte"),
        (2015, 2015),
    ],
)
def test_neutralising_a_formula_is_undone_exactly_on_import(stored, exported):
    assert neutralise(stored) == exported
    assert unneutralise(exported) == stored


# --- What went wrong, said precisely -----------------------------------------------------------------
def refusal(data):
    with pytest.raises(SpreadsheetError) as refused:
        read_table(data)
    return refused.value.message


def test_an_unclosed_quote_is_named_with_its_line_rather_than_swallowing_the_rest():
    data = b'titre;niveau\r\nCantine;simple\r\n"Atelier partag\xc3\xa9;simple\r\nBlanchisserie;simple\r\n'
    assert refusal(data) == (
        "Ligne 3 : un guillemet (\") ouvre une cellule qui n'est jamais refermée, et elle engloutirait "
        "tout le reste du fichier. Refermez-le, ou supprimez-le."
    )


def test_other_quoting_slips_are_read_as_spreadsheets_read_them():
    table = read_table(b'titre;niveau\r\n"Cantine" du Nord;simple\r\n')
    assert table.rows == [(2, ["Cantine du Nord", "simple"])]


def test_nul_bytes_in_a_text_file_are_named_with_their_line():
    assert refusal(b"titre;niveau\r\nCantine;simple\r\nAtelier\x00;simple\r\n") == (
        "Le fichier contient des caractères nuls (ligne 3) : il est endommagé, ou enregistré dans un "
        "encodage inattendu. Enregistrez-le en « CSV UTF-8 » depuis votre tableur, puis envoyez-le."
    )


@pytest.mark.parametrize("encoding", ["utf-16-le", "utf-16-be"])
def test_utf16_without_its_byte_order_mark_is_still_read(encoding):
    table = read_table("titre;niveau\r\nCoopération;renforcée\r\n".encode(encoding))
    assert table.rows == [(2, ["Coopération", "renforcée"])]


def workbook(kind):
    if kind == "ods":
        return ods(([text_cell("titre")], 1), ([text_cell("Cantine")], 1))
    book = Workbook()
    book.active.append(["titre"])
    book.active.append(["Cantine"])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


@pytest.mark.parametrize("kind", ["xlsx", "ods"])
def test_a_workbook_cut_short_is_reported_as_incomplete(kind):
    data = workbook(kind)
    assert refusal(data[: len(data) // 2]) == (
        f"Le fichier {kind.upper()} est incomplet : son enregistrement ou son envoi a sans doute été "
        "interrompu. Enregistrez-le à nouveau depuis votre tableur, puis envoyez-le."
    )


def test_an_xls_cut_short_is_reported_as_incomplete():
    with open(Path(__file__).parents[1] / "imports" / "files" / "libreoffice-source.xls", "rb") as file:
        data = file.read()
    assert read_table(data).rows  # whole, it is read
    assert refusal(data[:3000]).startswith("Le fichier XLS est incomplet")


def test_a_json_file_cut_short_is_reported_as_incomplete():
    assert refusal(b'[{"titre": "Cantine", "niveau": "simple"}, {"titre": "Atel') == (
        "Le fichier JSON s'arrête avant sa fin : son enregistrement ou son envoi a sans doute été "
        "interrompu. Enregistrez-le à nouveau, puis envoyez-le."
    )
