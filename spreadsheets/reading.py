"""Read the spreadsheets people actually send.

CSV (UTF-8 with or without BOM, UTF-16, or Windows-1252 as French Excel saves it; separated by ";",
"," or tabs), XLSX, XLS, ODS and JSON, recognised from the content rather than the file name: the
first sheet of a workbook, read by python-calamine. Trailing empty rows and columns are dropped; empty
rows in the middle are skipped but keep the numbering, so that "line 14" is line 14 in the
spreadsheet. Anything else, an empty file, or a file over the limits raises SpreadsheetError with a
French message.
"""

import csv
import io
import json
import re
import zipfile
from dataclasses import dataclass, field
from datetime import datetime

import python_calamine
from django.conf import settings
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

from lib.text import fold

KINDS = ("csv", "xlsx", "xls", "ods", "json")
DELIMITERS = (";", ",", "\t")
# Control characters other than tab and line breaks: a text file has none, a binary file many.
_BINARY = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")
_MAGIC = {
    b"%PDF": "PDF",
    b"\x89PNG": "PNG",
    b"\xff\xd8\xff": "JPEG",
    b"GIF8": "GIF",
}


class SpreadsheetError(ValueError):
    def __init__(self, message):
        super().__init__(message)
        self.message = message


@dataclass
class Table:
    """The first sheet of a file: its header row and its non-empty rows with their line numbers."""

    kind: str
    headers: list = field(default_factory=list)
    rows: list = field(default_factory=list)  # [(line, [cell, ...]), ...]


def check_size(size, max_size=None):
    max_size = settings.IMPORT_MAX_FILE_SIZE if max_size is None else max_size
    if size > max_size:
        raise SpreadsheetError(
            _("Le fichier pèse %(size)s ; la limite est de %(limit)s par import : découpez-le.")
            % {"size": filesizeformat(size), "limit": filesizeformat(max_size)}
        )


def read_table(data, *, max_size=None, max_rows=None):
    """The Table in `data` (bytes), whatever its format; SpreadsheetError when there is none."""
    max_rows = settings.IMPORT_MAX_ROWS if max_rows is None else max_rows
    check_size(len(data), max_size)
    if not data.strip(b" \t\r\n\x00").lstrip(b"\xef\xbb\xbf\xff\xfe").strip():
        raise SpreadsheetError(_("Le fichier est vide."))
    kind, rows = _rows(data)
    try:
        table = _table(kind, rows, max_rows)
    except SpreadsheetError:
        raise
    except (zipfile.BadZipFile, KeyError, IndexError, ValueError, EOFError) as error:
        raise not_a_spreadsheet(_("fichier %(kind)s endommagé") % {"kind": kind.upper()}) from error
    if not table.headers:
        raise SpreadsheetError(_("Le fichier est vide."))
    if not table.rows:
        raise SpreadsheetError(_("Le fichier n'a aucune ligne à importer sous sa ligne d'en-tête."))
    return table


def not_a_spreadsheet(detail=""):
    message = _("Ce fichier n'est pas un tableur lisible : envoyez un fichier CSV, XLSX, XLS, ODS ou JSON.")
    return SpreadsheetError(f"{message} ({detail})" if detail else message)


def _rows(data):
    """(kind, iterator of rows as lists) for the first sheet of the file."""
    if data.startswith(b"PK\x03\x04"):
        kind = _archive_kind(data)
        return kind, _workbook_rows(kind, data)
    if data.startswith(b"\xd0\xcf\x11\xe0"):  # Excel 97-2003
        return "xls", _workbook_rows("xls", data)
    for magic, name in _MAGIC.items():
        if data.startswith(magic):
            raise not_a_spreadsheet(_("fichier %(kind)s") % {"kind": name})
    text = _decode(data)
    if _BINARY.search(text[:100_000]):
        raise not_a_spreadsheet()
    if text.lstrip()[:1] in ("[", "{"):
        return "json", _json_rows(text)
    return "csv", _csv_rows(text)


def _archive_kind(data):
    """xlsx or ods, for a ZIP archive; SpreadsheetError for any other archive."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = set(archive.namelist())
            if "xl/workbook.xml" in names:
                return "xlsx"
            if "content.xml" in names and b"opendocument.spreadsheet" in archive.read("mimetype"):
                return "ods"
    except (zipfile.BadZipFile, KeyError) as error:
        raise not_a_spreadsheet() from error
    raise not_a_spreadsheet(_("archive ZIP d'un autre type"))


def _table(kind, rows, max_rows):
    table = Table(kind)
    header_line = None
    width = 0
    line = 0
    for values in rows:
        line += 1
        values = [_clean(v) for v in values]
        while values and values[-1] == "":
            values.pop()
        if not values:
            continue
        if header_line is None:
            header_line = line
            table.headers = [str(v).strip() for v in values]
            continue
        if len(table.rows) >= max_rows:
            raise SpreadsheetError(
                _(
                    "Le fichier compte plus de %(limit)s lignes de données, la limite d'un import : "
                    "découpez-le en plusieurs fichiers."
                )
                % {"limit": f"{max_rows:,}".replace(",", "\u202f")}
            )
        width = max(width, len(values))
        table.rows.append((line, values))
    width = max(width, len(table.headers))
    table.headers += [""] * (width - len(table.headers))
    for _line, values in table.rows:
        values += [""] * (width - len(values))
    return table


def _clean(value):
    if value is None:
        return ""
    if isinstance(value, str):
        return "" if not value.strip() else value
    return value


# --- Text files ------------------------------------------------------------------------------------
def _decode(data):
    if data.startswith(b"\xef\xbb\xbf"):
        encodings = ("utf-8-sig",)
    elif data.startswith((b"\xff\xfe", b"\xfe\xff")):
        encodings = ("utf-16",)
    else:
        # Without a BOM: UTF-8 if it decodes (Windows-1252 text with accents almost never does).
        encodings = ("utf-8", "cp1252", "latin-1")
    for encoding in encodings:
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise not_a_spreadsheet(_("encodage inconnu"))


def _csv_rows(text):
    first_line = next((line for line in text.splitlines() if line.strip()), "")
    delimiter = max(DELIMITERS, key=lambda d: len(next(csv.reader([first_line], delimiter=d), [])))
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        yield from reader
    except csv.Error as error:
        raise not_a_spreadsheet(str(error)) from error


def _json_rows(text):
    try:
        data = json.loads(text)
    except json.JSONDecodeError as error:
        raise SpreadsheetError(
            _("Le fichier JSON est illisible (ligne %(line)s : %(error)s).")
            % {"line": error.lineno, "error": error.msg}
        ) from error
    if isinstance(data, dict):
        data = [data]
    if not isinstance(data, list) or not all(isinstance(item, dict) for item in data):
        raise SpreadsheetError(_("Un fichier JSON doit contenir une liste d'objets, un par ligne."))
    headers = []
    for item in data:
        headers += [key for key in item if key not in headers]
    yield headers
    for item in data:
        yield [_json_value(item.get(key)) for key in headers]


def _json_value(value):
    if isinstance(value, list):
        return "; ".join(str(v) for v in value if v not in (None, ""))
    if isinstance(value, dict):
        raise SpreadsheetError(_("Un fichier JSON ne doit pas contenir d'objets imbriqués."))
    return value


# --- Workbooks (XLSX, XLS, ODS) ----------------------------------------------------------------------
# python-calamine (Rust's calamine) reads the three formats: cells come as str, int, float, bool, date
# or datetime.
_MAX_COLUMNS = 1000  # a row's trailing empty cells may be written as one cell repeated 1,000 times


def _workbook_rows(kind, data):
    try:
        workbook = python_calamine.CalamineWorkbook.from_filelike(io.BytesIO(data))
        sheet = workbook.get_sheet_by_index(0)
        # Rows come from the first line of the sheet, but from the first column that holds data: the
        # columns before it are given back, so that column letters in messages are the sheet's own.
        skipped = [""] * (sheet.start[1] if sheet.start else 0)
        for values in sheet.iter_rows():
            yield [_workbook_value(value) for value in (skipped + values)[:_MAX_COLUMNS]]
    except (python_calamine.CalamineError, ValueError, OSError) as error:
        raise not_a_spreadsheet(_("fichier %(kind)s endommagé") % {"kind": kind.upper()}) from error


def _workbook_value(value):
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, datetime) and value.time() == datetime.min.time():
        return value.date()
    return value


# --- Headers ---------------------------------------------------------------------------------------
def header_key(header):
    """How headers are compared: case, accents, punctuation and surrounding spaces ignored."""
    return fold(header)
