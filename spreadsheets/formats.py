"""The file formats of imports and exports, as django-import-export formats.

Import: one format that recognises CSV, XLSX, XLS, ODS and JSON from the content (spreadsheets.reading), so
nobody has to say what they send. Export: CSV (UTF-8 with BOM, separated by ";": French Excel opens
it as is), XLSX, ODS and JSON, in a sheet named after what it holds, with readable column widths.

Formulas: a CSV cell has no type, so a text starting with =, +, - or @ is prefixed with an apostrophe
there, and no spreadsheet runs it; imports remove it again. XLSX and ODS cells are typed: their texts
are written as text, which no spreadsheet runs, and keep their first character (a Markdown list's
« - »). Only a text already starting with apostrophes before such a character gets one more in every
format, so that the import's removal of one gives it back exactly.
"""

import csv
import io
import itertools
import json
import re
from datetime import date, datetime

import tablib
from django.utils.translation import gettext_lazy as _
from import_export.formats.base_formats import Format

from .reading import read_table
from .xlsx import write_xlsx

# One apostrophe more than the text already has, so that removing one on import gives it back exactly.
_FORMULA = re.compile(r"'*[=+\-@]")
_NEUTRALISED = re.compile(r"'+[=+\-@]")
_STARTS = frozenset("'=+-@")  # the first characters of the texts these two may match


def neutralise(value):
    """The CSV cell for `value`: never run as a formula."""
    if isinstance(value, str) and _FORMULA.match(value):
        return "'" + value
    return value


def typed_text(value):
    """The text of a typed (XLSX, ODS) cell for `value`: as it is, unless import would change it."""
    if isinstance(value, str) and _NEUTRALISED.match(value):
        return "'" + value
    return value


def unneutralise(value):
    if isinstance(value, str) and _NEUTRALISED.match(value):
        return value[1:]
    return value


# --- Import ----------------------------------------------------------------------------------------
class SpreadsheetImportFormat(Format):
    """Whatever spreadsheet the file is: the reader recognises it."""

    def __init__(self, encoding=None):
        self.encoding = encoding  # django-import-export passes one; the reader finds the file's own

    def get_title(self):
        return _("CSV, XLSX, XLS, ODS ou JSON (reconnu à son contenu)")

    def create_dataset(self, in_stream):
        return table_to_dataset(read_table(in_stream))

    def can_import(self):
        return True

    def get_extension(self):
        return "xlsx"


def table_to_dataset(table):
    """A tablib Dataset for django-import-export, remembering each row's line and the file's kind."""
    dataset = tablib.Dataset(*(values for _line, values in table.rows), headers=table.headers)
    dataset.line_numbers = [line for line, _values in table.rows]
    dataset.source_kind = table.kind
    return dataset


# --- Export ----------------------------------------------------------------------------------------
# Column widths, in characters: from the longest line of the header and of the first rows, within these.
MIN_WIDTH, MAX_WIDTH, SAMPLED_ROWS = 10, 60, 200


class ExportFormat(Format):
    key = ""
    content_type = "application/octet-stream"

    def get_title(self):
        return self.key

    def get_extension(self):
        return self.key

    def get_content_type(self):
        return self.content_type

    def can_export(self):
        return True

    def export_data(self, dataset, **kwargs):
        headers, rows = list(dataset.headers or []), [list(row) for row in dataset]
        return self.write(headers, rows, title=dataset.title)

    def write(self, headers, rows, *, title=None):
        """The file's bytes; `rows` is any iterable of lists, `title` names the sheet."""
        raise NotImplementedError


def sample(rows):
    """(the first SAMPLED_ROWS rows, an iterator over all of them) of any iterable of rows."""
    rows = iter(rows)
    first = list(itertools.islice(rows, SAMPLED_ROWS))
    return first, itertools.chain(first, rows)


def column_widths(headers, rows):
    """Each column's width in characters, wide enough for its header and most of its first `rows`."""
    widths = []
    for index, header in enumerate(headers):
        lines = [str(header)]
        for row in rows[:SAMPLED_ROWS]:
            if row[index] not in (None, ""):
                lines += str(row[index]).split("\n")
        widths.append(max(MIN_WIDTH, min(MAX_WIDTH, max(len(line) for line in lines) + 2)))
    return widths


def sheet_title(title):
    """A valid sheet name: 31 characters at most, none of []:*?/\\."""
    return re.sub(r"[\[\]:*?/\\]", " ", str(title or _("Données")))[:31]


class CSVExport(ExportFormat):
    key = "csv"
    content_type = "text/csv; charset=utf-8"
    ROWS_PER_PIECE = 500

    def write(self, headers, rows, *, title=None):
        return b"".join(self.stream(headers, rows))

    def stream(self, headers, rows):
        """The file in pieces of a few hundred rows, as `rows` (any iterable) yields them."""
        out = io.StringIO()
        writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
        out.write("\ufeff")  # the byte order mark by which Excel knows the file is UTF-8
        writer.writerow(headers)
        # csv writes None as an empty cell; only a text starting with one of _STARTS needs a look.
        for count, row in enumerate(rows, 1):
            writer.writerow([neutralise(v) if isinstance(v, str) and v[:1] in _STARTS else v for v in row])
            if count % self.ROWS_PER_PIECE == 0:
                yield _take(out)
        yield _take(out)


def _take(out):
    """What `out` (a StringIO) holds, in UTF-8, emptying it."""
    piece = out.getvalue().encode()
    out.seek(0)
    out.truncate()
    return piece


class XLSXExport(ExportFormat):
    key = "xlsx"
    content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

    def write(self, headers, rows, *, title=None):
        first, rows = sample(rows)
        widths = column_widths(headers, first)
        return write_xlsx(headers, rows, title=sheet_title(title), widths=widths, quoted=typed_text)


class ODSExport(ExportFormat):
    key = "ods"
    content_type = "application/vnd.oasis.opendocument.spreadsheet"

    def write(self, headers, rows, *, title=None):
        from odf import teletype
        from odf.opendocument import OpenDocumentSpreadsheet
        from odf.style import Style, TableColumnProperties
        from odf.table import Table, TableCell, TableColumn, TableRow
        from odf.text import P

        document = OpenDocumentSpreadsheet()
        table = Table(name=sheet_title(title))
        document.spreadsheet.addElement(table)
        first, rows = sample(rows)
        for index, width in enumerate(column_widths(headers, first)):
            style = Style(name=f"colonne{index}", family="table-column")
            style.addElement(TableColumnProperties(columnwidth=f"{width * 0.21:.2f}cm"))
            document.automaticstyles.addElement(style)
            table.addElement(TableColumn(stylename=style))
        for values in itertools.chain([headers], rows):
            row = TableRow()
            table.addElement(row)
            for value in map(typed_text, values):
                if value is None or value == "":
                    row.addElement(TableCell())
                elif isinstance(value, int | float) and not isinstance(value, bool):
                    cell = TableCell(valuetype="float", value=value)
                    cell.addElement(P(text=str(value)))
                    row.addElement(cell)
                else:
                    cell = TableCell(valuetype="string")
                    # One paragraph per line: a line break inside a paragraph is only a space in ODF.
                    # Any line end ("\r\n" from a browser too), or a "\r" left would read as a blank line.
                    for line in str(value).splitlines() or [""]:
                        paragraph = P()
                        teletype.addTextToElement(paragraph, line)
                        cell.addElement(paragraph)
                    row.addElement(cell)
        out = io.BytesIO()
        document.save(out)
        return out.getvalue()


class JSONExport(ExportFormat):
    key = "json"
    content_type = "application/json"

    def write(self, headers, rows, *, title=None):
        items = [dict(zip(headers, row, strict=True)) for row in rows]
        return json.dumps(items, ensure_ascii=False, indent=2, default=_json_default).encode()


def _json_default(value):
    if isinstance(value, date | datetime):
        return value.isoformat()
    raise TypeError(type(value))


EXPORT_FORMATS = {f.key: f for f in (CSVExport, XLSXExport, ODSExport, JSONExport)}
