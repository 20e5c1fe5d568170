"""Read the spreadsheets people actually send.

CSV (UTF-8 with or without BOM, UTF-16, or Windows-1252 as French Excel saves it; separated by ";",
"," or tabs), XLSX, XLS, ODS and JSON, recognised from the content rather than the file name: the
first sheet of a workbook, read by python-calamine. Trailing empty rows and columns are dropped; empty
rows in the middle are skipped but keep the numbering, so that "line 14" is line 14 in the spreadsheet.

Every file is bounded before it costs anything: its size, then for a workbook the size it would
have once decompressed and its compression ratio (checked on the archive, before anything is
expanded), then row by row the limits of spreadsheets.bounded; workbooks are read in a child process
with a memory and time limit. Anything else, an empty file, or a file over the limits raises
SpreadsheetError with a French message.
"""

import csv
import io
import json
import re
import zipfile
from dataclasses import dataclass, field

from django.conf import settings
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from openpyxl.utils import get_column_letter

from lib.text import fold

from .bounded import Limit, ReaderFailed, bounded_rows, read_in_child

KINDS = ("csv", "xlsx", "xls", "ods", "json")
DELIMITERS = (";", ",", "\t")
# Control characters other than tab and line breaks: a text file has none, a binary file many.
_BINARY = re.compile(r"[\x01-\x08\x0b\x0c\x0e-\x1f]")
_MAGIC = {
    b"%PDF": "PDF",
    b"\x89PNG": "PNG",
    b"\xff\xd8\xff": "JPEG",
    b"GIF8": "GIF",
}
# A row's trailing empty cells may be written as one cell repeated 1,000 times; data goes no further.
MAX_COLUMNS = 1000
# Excel's own limit: a longer cell was not written by a spreadsheet.
MAX_CELL_LENGTH = 32_767
# Below the data, this many empty rows end it: a value further down is reported, not read.
MAX_EMPTY_RUN = 1000
# The members an XLSX archive starts with, whichever program wrote it.
_XLSX_MEMBERS = (b"[Content_Types].xml", b"_rels/", b"docProps/", b"xl/", b"customXml/")
# An archive member smaller than this is never refused for its compression ratio.
_RATIO_FLOOR = 1024 * 1024


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
    limits = {
        "max_rows": max_rows,
        "max_columns": MAX_COLUMNS,
        "max_cell_length": MAX_CELL_LENGTH,
        "max_empty_run": MAX_EMPTY_RUN,
    }
    kind, rows = _rows(data, limits)
    try:
        table = _table(kind, rows)
    except Limit as limit:
        raise SpreadsheetError(limit_message(limit)) from limit
    if not table.headers:
        raise SpreadsheetError(_("Le fichier est vide."))
    if not table.rows:
        raise SpreadsheetError(_("Le fichier n'a aucune ligne à importer sous sa ligne d'en-tête."))
    return table


def not_a_spreadsheet(detail=""):
    message = _("Ce fichier n'est pas un tableur lisible : envoyez un fichier CSV, XLSX, XLS, ODS ou JSON.")
    return SpreadsheetError(f"{message} ({detail})" if detail else message)


def truncated(kind):
    return SpreadsheetError(
        _(
            "Le fichier %(kind)s est incomplet : son enregistrement ou son envoi a sans doute été "
            "interrompu. Enregistrez-le à nouveau depuis votre tableur, puis envoyez-le."
        )
        % {"kind": kind.upper()}
    )


def limit_message(limit):
    """The French sentence for a Limit raised while reading the rows."""
    params = limit.params
    if limit.code == "rows":
        return _(
            "Le fichier compte plus de %(limit)s lignes de données, la limite d'un import : "
            "découpez-le en plusieurs fichiers."
        ) % {"limit": _number(params["limit"])}
    if limit.code == "cell":
        return _(
            "Ligne %(line)s, colonne %(column)s : la cellule compte %(length)s caractères ; %(limit)s au "
            "plus. Raccourcissez-la."
        ) % {
            "line": params["line"],
            "column": get_column_letter(params["column"]),
            "length": _number(params["length"]),
            "limit": _number(params["limit"]),
        }
    if limit.code == "columns":
        return _(
            "Ligne %(line)s : des valeurs au-delà de la colonne %(letter)s, la dernière lue. Supprimez les "
            "colonnes en trop."
        ) % {"line": params["line"], "letter": get_column_letter(params["limit"])}
    return _(
        "Ligne %(line)s : des valeurs après %(empty)s lignes vides. Supprimez ces lignes vides, ou ces "
        "valeurs égarées sous vos données, puis envoyez le fichier à nouveau."
    ) % {"line": _number(params["line"]), "empty": _number(params["empty"])}


def _number(value):
    return f"{value:,}".replace(",", "\u202f")


def _rows(data, limits):
    """(kind, iterator of (line, values)) for the first sheet of the file."""
    if data.startswith(b"PK\x03\x04"):
        kind = _archive_kind(data)
        return kind, _workbook_rows(kind, data, limits)
    if data.startswith(b"\xd0\xcf\x11\xe0"):  # Excel 97-2003
        if len(data) % 512:  # made of 512-byte sectors
            raise truncated("xls")
        return "xls", _workbook_rows("xls", data, limits)
    for magic, name in _MAGIC.items():
        if data.startswith(magic):
            raise not_a_spreadsheet(_("fichier %(kind)s") % {"kind": name})
    text = _decode(data)
    if _BINARY.search(text[:100_000]):
        raise not_a_spreadsheet()
    if "\x00" in text:
        line = text.count("\n", 0, text.index("\x00")) + 1
        raise SpreadsheetError(
            _(
                "Le fichier contient des caractères nuls (ligne %(line)s) : il est endommagé, ou enregistré "
                "dans un encodage inattendu. Enregistrez-le en « CSV UTF-8 » depuis votre tableur, puis "
                "envoyez-le."
            )
            % {"line": line}
        )
    if text.lstrip()[:1] in ("[", "{"):
        return "json", bounded_rows(_json_rows(text), **limits)
    return "csv", bounded_rows(_csv_rows(text), **limits)


def _archive_kind(data):
    """xlsx or ods, for a ZIP archive whose decompressed size is within the limits; SpreadsheetError
    for any other archive, a truncated one, or one that would expand too much."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            _check_expansion(archive.infolist())
            names = set(archive.namelist())
            if "xl/workbook.xml" in names:
                return "xlsx"
            if "content.xml" in names and b"opendocument.spreadsheet" in archive.read("mimetype"):
                return "ods"
    except (zipfile.BadZipFile, KeyError) as error:
        # The list of members is at the end of the archive: without it, the first member's name (in
        # its local header, at byte 30) tells what the archive was.
        first = data[30 : 30 + int.from_bytes(data[26:28], "little")]
        if first.startswith(_XLSX_MEMBERS) or b"xl/worksheets/" in data:
            raise truncated("xlsx") from error
        if first == b"mimetype" and b"opendocument.spreadsheet" in data[:200]:
            raise truncated("ods") from error
        raise not_a_spreadsheet() from error
    raise not_a_spreadsheet(_("archive ZIP d'un autre type"))


def _check_expansion(members):
    """Refuse, before anything is decompressed, an archive that would expand beyond the limits."""
    expanded = sum(member.file_size for member in members)
    if expanded > settings.IMPORT_MAX_EXPANDED_SIZE:
        raise SpreadsheetError(
            _(
                "Une fois décompressé, ce fichier pèserait %(size)s ; la limite est de %(limit)s. "
                "Découpez-le, ou supprimez la mise en forme des lignes et colonnes vides."
            )
            % {
                "size": filesizeformat(expanded),
                "limit": filesizeformat(settings.IMPORT_MAX_EXPANDED_SIZE),
            }
        )
    ratio = settings.IMPORT_MAX_COMPRESSION_RATIO
    for member in members:
        if member.file_size > _RATIO_FLOOR and member.file_size > ratio * max(member.compress_size, 1):
            raise SpreadsheetError(
                _(
                    "Ce fichier se décompresse %(ratio)s fois : aucun tableur n'en écrit de tels "
                    "(%(limit)s fois au plus). Il contient sans doute des milliers de lignes vides ou une "
                    "cellule démesurée : copiez vos données dans un nouveau classeur et envoyez celui-ci."
                )
                % {"ratio": _number(member.file_size // max(member.compress_size, 1)), "limit": ratio}
            )


def _table(kind, rows):
    table = Table(kind)
    width = 0
    for line, values in rows:
        if not table.headers:
            table.headers = [str(v).strip() for v in values]
            continue
        width = max(width, len(values))
        table.rows.append((line, values))
    width = max(width, len(table.headers))
    table.headers += [""] * (width - len(table.headers))
    for _line, values in table.rows:
        values += [""] * (width - len(values))
    return table


# --- Text files ------------------------------------------------------------------------------------
def _decode(data):
    if data.startswith(b"\xef\xbb\xbf"):
        encodings = ("utf-8-sig",)
    elif data.startswith((b"\xff\xfe", b"\xfe\xff")):
        encodings = ("utf-16",)
    elif _utf16_without_bom(data[:400]):
        encodings = (_utf16_without_bom(data[:400]),)
    else:
        # Without a BOM: UTF-8 if it decodes (Windows-1252 text with accents almost never does).
        encodings = ("utf-8", "cp1252", "latin-1")
    for encoding in encodings:
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise not_a_spreadsheet(_("encodage inconnu"))


def _utf16_without_bom(sample):
    """utf-16-le or -be when the text has no byte order mark but every other byte is zero, else None."""
    even, odd = sample[0::2], sample[1::2]
    if odd.count(0) >= len(odd) * 0.4 and not even.count(0):
        return "utf-16-le"
    if even.count(0) >= len(even) * 0.4 and not odd.count(0):
        return "utf-16-be"
    return None


def _csv_rows(text):
    first_line = next((line for line in text.splitlines() if line.strip()), "")
    try:
        delimiter = max(DELIMITERS, key=lambda d: len(next(csv.reader([first_line], delimiter=d), [])))
    except csv.Error as error:
        raise _csv_field_too_long(1) from error
    # Strictly first, to catch a quote opened and never closed, which would swallow the rest of the file
    # into one cell; then leniently, as spreadsheets read them, for the other slips (« "a" b »).
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    rows = []
    try:
        rows.extend(reader)
    except csv.Error as error:
        if "field larger than field limit" in str(error):
            raise _csv_field_too_long(reader.line_num) from error
        if "unexpected end of data" in str(error):
            raise SpreadsheetError(
                _(
                    "Ligne %(line)s : un guillemet (\") ouvre une cellule qui n'est jamais refermée, et "
                    "elle engloutirait tout le reste du fichier. Refermez-le, ou supprimez-le."
                )
                % {"line": len(rows) + 1}
            ) from error
        lenient = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
        try:
            rows = list(lenient)
        except csv.Error as lenient_error:
            raise _csv_field_too_long(lenient.line_num) from lenient_error
    return rows


def _csv_field_too_long(line):
    """The csv module reads no cell longer than csv.field_size_limit() (128 Kio), four times what a
    spreadsheet writes: such a file is refused like any cell beyond MAX_CELL_LENGTH."""
    return SpreadsheetError(
        _(
            "Ligne %(line)s : une cellule compte plus de %(size)s caractères ; %(limit)s au plus. "
            "Raccourcissez-la, ou vérifiez que le fichier est bien un CSV."
        )
        % {"line": line, "size": _number(csv.field_size_limit()), "limit": _number(MAX_CELL_LENGTH)}
    )


def _json_rows(text):
    try:
        data = json.loads(text)
    except RecursionError as error:  # [[[[…]]]] thousands deep: no table is written that way
        raise SpreadsheetError(
            _(
                "Le fichier JSON imbrique des listes ou des objets sur trop de niveaux : ce n'est pas "
                "un tableau."
            )
        ) from error
    except json.JSONDecodeError as error:
        # An unterminated string runs to the end of the file.
        if error.pos >= len(text.rstrip()) or error.msg.startswith("Unterminated string"):
            raise SpreadsheetError(
                _(
                    "Le fichier JSON s'arrête avant sa fin : son enregistrement ou son envoi a sans doute "
                    "été interrompu. Enregistrez-le à nouveau, puis envoyez-le."
                )
            ) from error
        raise SpreadsheetError(
            _("Le fichier JSON est illisible (ligne %(line)s : %(error)s).")
            % {"line": error.lineno, "error": error.msg}
        ) from error
    if isinstance(data, dict):
        data = [data]
    if not isinstance(data, list) or not all(isinstance(item, dict) for item in data):
        raise SpreadsheetError(_("Un fichier JSON doit contenir une liste d'objets, un par ligne."))
    # Each key once, in order of appearance, in one pass (a list's `in` made it quadratic); a table has
    # at most MAX_COLUMNS columns.
    headers = {}
    for item in data:
        headers.update(dict.fromkeys(item))
        if len(headers) > MAX_COLUMNS:
            raise SpreadsheetError(
                _(
                    "Le fichier JSON compte plus de %(limit)s clés différentes, autant de colonnes : c'est "
                    "plus qu'un import n'en lit. Gardez les clés des colonnes à importer."
                )
                % {"limit": _number(MAX_COLUMNS)}
            )
    headers = list(headers)
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
# python-calamine (Rust's calamine) reads the three formats, in a child process (spreadsheets.bounded):
# cells come as str, int, float, bool, date or datetime.
def _workbook_rows(kind, data, limits):
    try:
        yield from read_in_child(
            data,
            memory=settings.IMPORT_READ_MEMORY,
            seconds=settings.IMPORT_READ_SECONDS,
            **limits,
        )
    except ReaderFailed as failure:
        if failure.code == "damaged":
            raise not_a_spreadsheet(_("fichier %(kind)s endommagé") % {"kind": kind.upper()}) from failure
        raise SpreadsheetError(
            _(
                "Ce fichier %(kind)s demande plus de mémoire ou de temps qu'un import n'en a pour être lu : "
                "il contient sans doute des cellules très loin sous ou à droite des données, ou des "
                "centaines de milliers de lignes vides mais mises en forme. Copiez vos données dans un "
                "nouveau classeur et envoyez celui-ci."
            )
            % {"kind": kind.upper()}
        ) from failure


# --- Headers ---------------------------------------------------------------------------------------
def header_key(header):
    """How headers are compared: case, accents, punctuation and surrounding spaces ignored."""
    return fold(header)
