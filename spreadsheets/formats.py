"""The file formats of imports and exports, as django-import-export formats.

Import: one format that recognises CSV, XLSX, XLS, ODS and JSON from the content (spreadsheets.reading), so
nobody has to say what they send. Export: CSV (UTF-8 with BOM, separated by ";": French Excel opens
it as is), XLSX, ODS and JSON. In the three spreadsheet formats a text starting with =, +, - or @ is
prefixed with an apostrophe, so that no spreadsheet runs it as a formula; imports remove it again.
"""

import csv
import io
import json
import re
from datetime import date, datetime

import tablib
from django.utils.translation import gettext_lazy as _
from import_export.formats.base_formats import Format

from .reading import read_table

# One apostrophe more than the text already has, so that removing one on import gives it back exactly.
_FORMULA = re.compile(r"'*[=+\-@]")
_NEUTRALISED = re.compile(r"'+[=+\-@]")


def neutralise(value):
    if isinstance(value, str) and _FORMULA.match(value):
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
        return self.write(list(dataset.headers or []), [list(row) for row in dataset])

    def write(self, headers, rows):
        raise NotImplementedError


class CSVExport(ExportFormat):
    key = "csv"
    content_type = "text/csv; charset=utf-8"

    def write(self, headers, rows):
        out = io.StringIO()
        writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
        writer.writerow(headers)
        for row in rows:
            writer.writerow(["" if v is None else neutralise(v) for v in row])
        return out.getvalue().encode("utf-8-sig")


class XLSXExport(ExportFormat):
    key = "xlsx"
    content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

    def write(self, headers, rows):
        from openpyxl import Workbook
        from openpyxl.cell import WriteOnlyCell
        from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
        from openpyxl.styles import Font
        from openpyxl.utils import get_column_letter

        book = Workbook(write_only=True)
        sheet = book.create_sheet()
        sheet.freeze_panes = "A2"
        for index, header in enumerate(headers, 1):
            sheet.column_dimensions[get_column_letter(index)].width = max(12, min(40, len(header) + 4))
        bold = Font(bold=True)
        header_cells = []
        for header in headers:
            cell = WriteOnlyCell(sheet, value=header)
            cell.font = bold
            header_cells.append(cell)
        sheet.append(header_cells)
        for row in rows:
            sheet.append(
                [ILLEGAL_CHARACTERS_RE.sub("", v) if isinstance(v, str) else v for v in map(neutralise, row)]
            )
        out = io.BytesIO()
        book.save(out)
        return out.getvalue()


class ODSExport(ExportFormat):
    key = "ods"
    content_type = "application/vnd.oasis.opendocument.spreadsheet"

    def write(self, headers, rows):
        from odf import teletype
        from odf.opendocument import OpenDocumentSpreadsheet
        from odf.table import Table, TableCell, TableRow
        from odf.text import P

        document = OpenDocumentSpreadsheet()
        table = Table(name="Feuille1")
        document.spreadsheet.addElement(table)
        for values in [headers, *rows]:
            row = TableRow()
            table.addElement(row)
            for value in map(neutralise, values):
                if value is None or value == "":
                    row.addElement(TableCell())
                elif isinstance(value, int | float) and not isinstance(value, bool):
                    cell = TableCell(valuetype="float", value=value)
                    cell.addElement(P(text=str(value)))
                    row.addElement(cell)
                else:
                    cell = TableCell(valuetype="string")
                    # One paragraph per line: a line break inside a paragraph is only a space in ODF.
                    for line in str(value).split("\n"):
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

    def write(self, headers, rows):
        items = [dict(zip(headers, row, strict=True)) for row in rows]
        return json.dumps(items, ensure_ascii=False, indent=2, default=_json_default).encode()


def _json_default(value):
    if isinstance(value, date | datetime):
        return value.isoformat()
    raise TypeError(type(value))


EXPORT_FORMATS = {f.key: f for f in (CSVExport, XLSXExport, ODSExport, JSONExport)}
