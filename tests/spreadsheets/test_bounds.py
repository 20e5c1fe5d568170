"""Files built to exhaust the server are refused quickly, in French, without the server's memory growing:
archives by their decompressed size and ratio before anything is expanded, workbooks read in a child
process under a memory limit, and every file row by row (row limit, long cells, stray values)."""

import io
import resource
import subprocess
import time
import zipfile

import pytest
from odf.opendocument import OpenDocumentSpreadsheet
from odf.table import Table, TableCell, TableRow
from odf.text import P
from openpyxl import Workbook

from spreadsheets import reading
from spreadsheets.bounded import ReaderFailed, read_in_child
from spreadsheets.reading import SpreadsheetError, read_table

MEMORY_MESSAGE = (
    "Ce fichier {kind} demande plus de mémoire ou de temps qu'un import n'en a pour être lu : il contient "
    "sans doute des cellules très loin sous ou à droite des données, ou des centaines de milliers de lignes "
    "vides mais mises en forme. Copiez vos données dans un nouveau classeur et envoyez celui-ci."
)


def xlsx(cells):
    """An XLSX whose first sheet holds `cells`, {"A1": value, ...}."""
    book = Workbook()
    for reference, value in cells.items():
        book.active[reference] = value
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def raw_xlsx(rows_xml):
    """An XLSX written by hand, for what spreadsheet libraries refuse to write: `rows_xml` is the content
    of its first sheet's <sheetData>, with inline strings."""
    main = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
    relationships = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
    package = "http://schemas.openxmlformats.org/package/2006"
    content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml"
    files = {
        "[Content_Types].xml": f'<Types xmlns="{package}/content-types">'
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        f'<Override PartName="/xl/workbook.xml" ContentType="{content_type}.sheet.main+xml"/>'
        f'<Override PartName="/xl/worksheets/sheet1.xml" ContentType="{content_type}.worksheet+xml"/>'
        "</Types>",
        "_rels/.rels": f'<Relationships xmlns="{package}/relationships"><Relationship Id="rId1" '
        f'Type="{relationships}/officeDocument" Target="xl/workbook.xml"/></Relationships>',
        "xl/workbook.xml": f'<workbook xmlns="{main}" xmlns:r="{relationships}"><sheets>'
        '<sheet name="Feuille1" sheetId="1" r:id="rId1"/></sheets></workbook>',
        "xl/_rels/workbook.xml.rels": f'<Relationships xmlns="{package}/relationships"><Relationship '
        f'Id="rId1" Type="{relationships}/worksheet" Target="worksheets/sheet1.xml"/></Relationships>',
        "xl/worksheets/sheet1.xml": f'<worksheet xmlns="{main}"><sheetData>{rows_xml}</sheetData>'
        "</worksheet>",
    }
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in files.items():
            archive.writestr(name, content)
    return out.getvalue()


def inline(reference, text):
    return f'<c r="{reference}" t="inlineStr"><is><t>{text}</t></is></c>'


def refusal(data):
    with pytest.raises(SpreadsheetError) as refused:
        read_table(data)
    return refused.value.message


def peak_memory():
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024


@pytest.fixture
def never_expanded(monkeypatch):
    """Fail the test if the workbook reaches the reader."""

    def expanded(*args, **kwargs):
        raise AssertionError("the archive was expanded")

    monkeypatch.setattr(reading, "read_in_child", expanded)


# --- Archives: refused before they are expanded ----------------------------------------------------
def test_an_archive_that_would_expand_beyond_the_limit_is_refused_before_it_is_read(settings, never_expanded):
    settings.IMPORT_MAX_EXPANDED_SIZE = 1024 * 1024
    data = xlsx(
        {
            "A1": "titre",
            "A2": "x" * 30_000,
            "B2": "y" * 30_000,
            **{f"C{n}": "z" * 30_000 for n in range(3, 40)},
        }
    )
    message = refusal(data)
    assert message.startswith("Une fois décompressé, ce fichier pèserait ")
    assert message.endswith(
        "; la limite est de 1,0\xa0Mio. Découpez-le, ou supprimez la mise en forme des lignes et colonnes "
        "vides."
    )


def test_a_member_compressed_beyond_any_spreadsheets_ratio_is_refused_before_it_is_read(never_expanded):
    # 2 MB of one letter, about 1,000 times smaller once compressed.
    data = raw_xlsx(
        f'<row r="1">{inline("A1", "titre")}</row><row r="2">{inline("A2", "a" * 2_000_000)}</row>'
    )
    message = refusal(data)
    assert message.startswith("Ce fichier se décompresse ")
    assert "(100 fois au plus)" in message


# --- Workbooks: read in a child process that alone pays for them ----------------------------------
def test_a_tiny_workbook_that_would_take_gigabytes_is_refused_and_only_the_child_pays(settings):
    # Two cells, 1.4 KB: the reader would lay out a million rows by 16,384 columns (500 GB).
    data = xlsx({"A1": "titre", "XFD1000000": "x"})
    assert len(data) < 10_000
    before, started = peak_memory(), time.monotonic()
    assert refusal(data) == MEMORY_MESSAGE.format(kind="XLSX")
    assert time.monotonic() - started < settings.IMPORT_READ_SECONDS
    assert peak_memory() - before < 50 * 1024 * 1024


def test_a_value_repeated_over_a_hundred_thousand_rows_of_an_ods_is_refused():
    document = OpenDocumentSpreadsheet()
    table = Table(name="Feuille1")
    document.spreadsheet.addElement(table)
    header = TableRow()
    title = TableCell(valuetype="string")
    title.addElement(P(text="titre"))
    header.addElement(title)
    table.addElement(header)
    repeated = TableRow(numberrowsrepeated=100_000)
    cell = TableCell(valuetype="string", numbercolumnsrepeated=50)
    cell.addElement(P(text="x"))
    repeated.addElement(cell)
    table.addElement(repeated)
    out = io.BytesIO()
    document.save(out)
    assert len(out.getvalue()) < 10_000
    assert refusal(out.getvalue()) == MEMORY_MESSAGE.format(kind="ODS")


def test_a_reader_out_of_time_is_reported_as_such(monkeypatch):
    def too_long(*args, timeout, **kwargs):
        raise subprocess.TimeoutExpired(args[0], timeout)

    monkeypatch.setattr(subprocess, "run", too_long)
    with pytest.raises(ReaderFailed) as failed:
        read_in_child(
            b"PK", memory=10**8, seconds=1, max_rows=10, max_columns=10, max_cell_length=10, max_empty_run=10
        )
    assert failed.value.code == "time"
    assert refusal(xlsx({"A1": "titre", "A2": "x"})) == MEMORY_MESSAGE.format(kind="XLSX")


def test_a_damaged_workbook_is_named_as_such():
    data = raw_xlsx(f'<row r="1">{inline("A1", "titre")}</row><row r="2"><c r="A2" t="inlineStr"><is>')
    assert refusal(data).endswith("(fichier XLSX endommagé)")


# --- Row by row, whatever the format ---------------------------------------------------------------
def test_a_workbook_over_the_row_limit_is_refused(settings):
    settings.IMPORT_MAX_ROWS = 3
    data = xlsx({"A1": "titre", **{f"A{n}": f"fiche {n}" for n in range(2, 7)}})
    assert refusal(data) == (
        "Le fichier compte plus de 3 lignes de données, la limite d'un import : découpez-le en plusieurs "
        "fichiers."
    )


@pytest.mark.parametrize("kind", ["csv", "xlsx"])
def test_a_value_after_a_thousand_empty_rows_is_reported_rather_than_lost(kind):
    if kind == "csv":
        data = b"titre\r\nCantine\r\n" + b";;\r\n" * 1000 + b"oubli\r\n"
    else:
        data = xlsx({"A1": "titre", "A2": "Cantine", "A1003": "oubli"})
    assert refusal(data) == (
        "Ligne 1\u202f003 : des valeurs après 1\u202f000 lignes vides. Supprimez ces lignes vides, ou ces "
        "valeurs égarées sous vos données, puis envoyez le fichier à nouveau."
    )


def test_empty_rows_between_and_after_the_data_are_skipped():
    data = b"titre\r\n" + b"\r\n" * 999 + b"Cantine\r\n" + b";\r\n" * 200_000
    table = read_table(data)
    assert table.rows == [(1001, ["Cantine"])]


@pytest.mark.parametrize("kind", ["csv", "xlsx"])
def test_a_cell_longer_than_a_spreadsheet_allows_is_refused(kind):
    if kind == "csv":
        data = ("titre;résumé\r\nCantine;" + "é" * 32_768 + "\r\n").encode()
    else:
        cells = inline("A1", "titre") + inline("B1", "résumé")
        data = raw_xlsx(
            f'<row r="1">{cells}</row><row r="2">{inline("A2", "Cantine")}{inline("B2", "é" * 32_768)}</row>'
        )
    assert refusal(data) == (
        "Ligne 2, colonne B : la cellule compte 32\u202f768 caractères ; 32\u202f767 au plus. "
        "Raccourcissez-la."
    )


def test_a_value_beyond_the_thousandth_column_is_refused_rather_than_dropped():
    data = ("titre" + ";" * 1000 + "note\r\nCantine\r\n").encode()
    assert refusal(data) == (
        "Ligne 1 : des valeurs au-delà de la colonne ALL, la dernière lue. Supprimez les colonnes en trop."
    )
