"""Read the spreadsheets people actually send.

CSV (UTF-8 with or without BOM, UTF-16, or Windows-1252 as French Excel saves it; separated by ";",
"," or tabs), XLSX, ODS and JSON, recognised from the content rather than the file name. Trailing
empty rows and columns are dropped; empty rows in the middle are skipped but keep the numbering, so
that "line 14" is line 14 in the spreadsheet. Anything else, an empty file, or a file over the limits
raises SpreadsheetError with a French message.

ODS is read here rather than through tablib, whose reader merges every sheet into one, drops empty
cells in the middle of a row (shifting the columns) and keeps only the first paragraph of a cell.
"""

import csv
import io
import json
import re
import zipfile
from dataclasses import dataclass, field
from datetime import date, datetime
from xml.etree import ElementTree

from django.conf import settings
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

from lib.text import fold

KINDS = ("csv", "xlsx", "ods", "json")
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
    except (ElementTree.ParseError, zipfile.BadZipFile, KeyError, IndexError, ValueError, EOFError) as error:
        raise not_a_spreadsheet(_("fichier %(kind)s endommagé") % {"kind": kind.upper()}) from error
    if not table.headers:
        raise SpreadsheetError(_("Le fichier est vide."))
    if not table.rows:
        raise SpreadsheetError(_("Le fichier n'a aucune ligne à importer sous sa ligne d'en-tête."))
    return table


def not_a_spreadsheet(detail=""):
    message = _("Ce fichier n'est pas un tableur lisible : envoyez un fichier CSV, XLSX, ODS ou JSON.")
    return SpreadsheetError(f"{message} ({detail})" if detail else message)


def _rows(data):
    """(kind, iterator of rows as lists) for the first sheet of the file."""
    if data.startswith(b"PK\x03\x04"):
        try:
            archive = zipfile.ZipFile(io.BytesIO(data))
            names = set(archive.namelist())
            if "xl/workbook.xml" in names:
                return "xlsx", _xlsx_rows(archive)
            if "content.xml" in names and b"opendocument.spreadsheet" in archive.read("mimetype"):
                return "ods", _ods_rows(archive)
        except (zipfile.BadZipFile, KeyError) as error:
            raise not_a_spreadsheet() from error
        raise not_a_spreadsheet(_("archive ZIP d'un autre type"))
    if data.startswith(b"\xd0\xcf\x11\xe0"):
        raise SpreadsheetError(
            _(
                "Les fichiers .xls (Excel 97-2003) ne sont pas pris en charge : enregistrez-le au format "
                ".xlsx, .ods ou .csv puis envoyez-le à nouveau."
            )
        )
    for magic, name in _MAGIC.items():
        if data.startswith(magic):
            raise not_a_spreadsheet(_("fichier %(kind)s") % {"kind": name})
    text = _decode(data)
    if _BINARY.search(text[:100_000]):
        raise not_a_spreadsheet()
    if text.lstrip()[:1] in ("[", "{"):
        return "json", _json_rows(text)
    return "csv", _csv_rows(text)


def _table(kind, rows, max_rows):
    table = Table(kind)
    header_line = None
    width = 0
    line = 0
    for values in rows:
        if isinstance(values, int):  # that many empty rows
            line += values
            continue
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


# --- XLSX ------------------------------------------------------------------------------------------
# The sheet is parsed here rather than by openpyxl, whose per-cell objects make reading five times
# slower; openpyxl still provides the rules for date formats and escaped characters.


def _local(tag):
    return tag.rpartition("}")[2]


def _children(element, name):
    return [child for child in element if _local(child.tag) == name]


def _namespace(tag):
    """ "{uri}" of a tag: Excel's usual namespace, or the one of "Strict Open XML" files."""
    return tag[: tag.index("}") + 1] if tag.startswith("{") else ""


def _xlsx_rows(archive):
    strings = _shared_strings(archive)
    dates, epoch = _date_styles(archive)
    line = 0
    ns = None
    with archive.open(_first_sheet(archive)) as sheet:
        for _event, element in ElementTree.iterparse(sheet):
            if ns is None:
                ns = _namespace(element.tag)
                row_tag, cell_tag, value_tag, inline_tag = (f"{ns}{n}" for n in ("row", "c", "v", "is"))
            if element.tag != row_tag:
                continue
            number = int(element.get("r") or line + 1)
            if number > line + 1:
                yield number - line - 1  # rows the file leaves out are empty
            values = []
            for cell in element.iterfind(cell_tag):
                reference = cell.get("r")
                index = _column_index(reference) if reference else len(values)
                if index >= _MAX_COLUMNS:
                    break
                if index > len(values):
                    values += [""] * (index - len(values))
                kind = cell.get("t")
                if kind == "inlineStr":
                    inline = cell.find(inline_tag)
                    values.append(_rich_text(inline, ns) if inline is not None else "")
                    continue
                value = cell.findtext(value_tag)
                if not value:  # no value, or a formula never calculated
                    values.append("")
                elif kind == "s":
                    values.append(strings[int(value)])
                elif kind is None or kind == "n":
                    values.append(_xlsx_number(value, cell.get("s"), dates, epoch))
                else:
                    values.append(value == "1" if kind == "b" else value)  # str, e (error), d (ISO date)
            element.clear()
            line = number
            yield values


def _first_sheet(archive):
    workbook = ElementTree.fromstring(archive.read("xl/workbook.xml"))
    sheets = [e for e in workbook.iter() if _local(e.tag) == "sheet"]
    relations = ElementTree.fromstring(archive.read("xl/_rels/workbook.xml.rels"))
    targets = {e.get("Id"): e.get("Target") for e in relations}
    # r:id, in the namespace of transitional or of strict Open XML files
    relationship = next(value for name, value in sheets[0].attrib.items() if _local(name) == "id")
    target = targets[relationship]
    return target.lstrip("/") if target.startswith("/") else f"xl/{target}"


def _shared_strings(archive):
    if "xl/sharedStrings.xml" not in archive.namelist():
        return []
    from openpyxl.utils.escape import unescape

    strings = []
    with archive.open("xl/sharedStrings.xml") as content:
        ns = None
        for _event, element in ElementTree.iterparse(content):
            if ns is None:
                ns = _namespace(element.tag)
                item_tag = f"{ns}si"
            if element.tag == item_tag:
                text = _rich_text(element, ns)
                strings.append(unescape(text) if "_x" in text else text)
                element.clear()
    return strings


def _rich_text(element, ns):
    """The text of a string item: its <t>, or the <t> of its runs (not the phonetic hints)."""
    text = element.findtext(f"{ns}t")
    if text is not None:
        return text
    return "".join(t.text or "" for t in element.iterfind(f"{ns}r/{ns}t"))


def _date_styles(archive):
    """The style numbers that display a number as a date, and the workbook's date epoch."""
    from openpyxl.styles.numbers import BUILTIN_FORMATS, is_date_format
    from openpyxl.utils.datetime import CALENDAR_MAC_1904, CALENDAR_WINDOWS_1900

    workbook = archive.read("xl/workbook.xml")
    epoch = CALENDAR_MAC_1904 if re.search(rb'date1904="(1|true)"', workbook) else CALENDAR_WINDOWS_1900
    if "xl/styles.xml" not in archive.namelist():
        return set(), epoch
    styles = ElementTree.fromstring(archive.read("xl/styles.xml"))
    formats = dict(BUILTIN_FORMATS)
    formats.update(
        {int(e.get("numFmtId")): e.get("formatCode") for e in styles.iter() if _local(e.tag) == "numFmt"}
    )
    cell_formats = next((e for e in styles if _local(e.tag) == "cellXfs"), [])
    dates = {
        index
        for index, xf in enumerate(_children(cell_formats, "xf"))
        if is_date_format(formats.get(int(xf.get("numFmtId", 0)), ""))
    }
    return dates, epoch


def _column_index(reference):
    index = 0
    for char in reference:
        if not char.isalpha():
            break
        index = index * 26 + ord(char.upper()) - 64
    return index - 1


def _xlsx_number(value, style, dates, epoch):
    number = float(value)
    if style and int(style) in dates:
        from openpyxl.utils.datetime import from_excel

        moment = from_excel(number, epoch)
        return (
            moment.date() if isinstance(moment, datetime) and moment.time() == datetime.min.time() else moment
        )
    return int(number) if number.is_integer() else number


# --- ODS -------------------------------------------------------------------------------------------
_TABLE = "{urn:oasis:names:tc:opendocument:xmlns:table:1.0}"
_OFFICE = "{urn:oasis:names:tc:opendocument:xmlns:office:1.0}"
_TEXT = "{urn:oasis:names:tc:opendocument:xmlns:text:1.0}"
_CELLS = (f"{_TABLE}table-cell", f"{_TABLE}covered-table-cell")
# Cap on repeated cells: LibreOffice writes a row's trailing empty cells as one cell repeated 1,000 times.
_MAX_COLUMNS = 1000


def _ods_rows(archive):
    with archive.open("content.xml") as content:
        depth = 0
        for event, element in ElementTree.iterparse(content, events=("start", "end")):
            if element.tag == f"{_TABLE}table":
                if event == "start":
                    depth += 1
                    continue
                return  # only the first sheet
            if event != "end" or depth != 1 or element.tag != f"{_TABLE}table-row":
                continue
            values = []
            for cell in element:
                if cell.tag not in _CELLS:
                    continue
                value = _ods_value(cell)
                repeat = int(cell.get(f"{_TABLE}number-columns-repeated", "1"))
                values += [value] * min(repeat, _MAX_COLUMNS - len(values))
            while values and values[-1] == "":
                values.pop()
            repeat = int(element.get(f"{_TABLE}number-rows-repeated", "1"))
            element.clear()
            if not values:
                yield repeat  # empty rows: only their number matters
                continue
            for _ in range(repeat):  # identical consecutive rows are written once, repeated
                yield list(values)


def _ods_value(cell):
    kind = cell.get(f"{_OFFICE}value-type")
    if kind in ("float", "percentage", "currency"):
        number = float(cell.get(f"{_OFFICE}value"))
        return int(number) if number.is_integer() else number
    if kind == "boolean":
        return cell.get(f"{_OFFICE}boolean-value") == "true"
    if kind == "date":
        value = cell.get(f"{_OFFICE}date-value")
        return date.fromisoformat(value[:10]) if "T" not in value else datetime.fromisoformat(value)
    return "\n".join(_ods_text(p) for p in cell if p.tag in (f"{_TEXT}p", f"{_TEXT}h"))


def _ods_text(element):
    parts = [element.text or ""]
    for child in element:
        if child.tag == f"{_TEXT}s":
            parts.append(" " * int(child.get(f"{_TEXT}c", "1")))
        elif child.tag == f"{_TEXT}tab":
            parts.append("\t")
        elif child.tag == f"{_TEXT}line-break":
            parts.append("\n")
        elif child.tag != f"{_OFFICE}annotation":  # a comment on the cell is not its value
            parts.append(_ods_text(child))
        parts.append(child.tail or "")
    return "".join(parts)


# --- Headers ---------------------------------------------------------------------------------------
def header_key(header):
    """How headers are compared: case, accents, punctuation and surrounding spaces ignored."""
    return fold(header)
