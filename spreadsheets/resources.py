"""django-import-export resources whose import is a BatchImporter and whose export follows the columns.

django-import-export keeps what it does well — the admin's upload, preview and confirm steps, the
transaction, the formats — and the rows go through the batched importer in one call instead of its
per-row machinery (one instance, diff and savepoint per row), which is far too slow for thousands.
"""

import io
from collections import OrderedDict
from urllib.parse import urljoin

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from import_export import resources
from import_export.fields import Field
from import_export.results import Error, Result, RowResult

from lib.text import slug_for

from .formats import EXPORT_FORMATS
from .importer import ERROR, NEW, UNCHANGED, UPDATE
from .reading import Table

IMPORT_TYPES = {
    NEW: RowResult.IMPORT_TYPE_NEW,
    UPDATE: RowResult.IMPORT_TYPE_UPDATE,
    UNCHANGED: RowResult.IMPORT_TYPE_SKIP,
    ERROR: RowResult.IMPORT_TYPE_INVALID,
}


class ImportFileError(Exception):
    """A problem with the file as a whole (its columns), shown above the preview."""


class BatchResource(resources.ModelResource):
    importer_class = None
    columns = ()

    class Meta:
        fields = ()  # the columns below, not the model's fields
        chunk_size = 500

    def __init__(self, *, progress=None, base_url="", **kwargs):
        super().__init__(**kwargs)
        self.progress = progress
        # The site's address, which makes the columns' links absolute (a bare path without it).
        self.base_url = base_url
        self.fields = OrderedDict(
            (column.key, Field(attribute=column.key, column_name=column.header)) for column in self.columns
        )
        self.columns_by_key = {column.key: column for column in self.columns}

    # --- Export ------------------------------------------------------------------------------------
    def export_queryset(self, queryset):
        """The queryset with what the columns read prefetched."""
        return queryset

    def export(self, queryset=None, **kwargs):
        queryset = self.get_queryset() if queryset is None else queryset
        dataset = super().export(self.export_queryset(queryset), **kwargs)
        dataset.title = capfirst(self._meta.model._meta.verbose_name_plural)  # names the sheet
        return dataset

    def export_field(self, field, instance, **kwargs):
        column = self.columns_by_key[field.attribute]
        value = column.export(instance)
        return urljoin(self.base_url, value) if column.link and value else value

    def export_file(self, queryset, fmt):
        """(bytes, content type, file name) of the queryset in format `fmt` (csv, xlsx, ods, json)."""
        file_format = EXPORT_FORMATS[fmt]()
        data = file_format.export_data(self.export(queryset))
        stem = slug_for(self._meta.model._meta.verbose_name_plural)
        return data, file_format.get_content_type(), f"{stem}-{timezone.localdate().isoformat()}.{fmt}"

    # --- Import ------------------------------------------------------------------------------------
    def import_data_inner(
        self, dataset, dry_run, raise_errors, using_transactions, collect_failed_rows, **kwargs
    ):
        importer = self.importer_class(user=kwargs.get("user"), progress=self.progress)
        report = importer.run(dataset_to_table(dataset))
        result = report_to_result(report)
        result.report = report
        return result


def dataset_to_table(dataset):
    lines = getattr(dataset, "line_numbers", None) or range(2, len(dataset) + 2)
    rows = [(line, list(values)) for line, values in zip(lines, dataset, strict=True)]
    return Table(getattr(dataset, "source_kind", "csv"), list(dataset.headers or []), rows)


def report_to_result(report):
    """An import-export Result, so that its admin flow (preview, confirm, log entries) works as usual."""
    result = Result()
    result.total_rows = len(report.rows)
    for message in report.file_errors:
        result.append_base_error(Error(ImportFileError(message)))
    for row in report.rows:
        row_result = RowResult()
        row_result.import_type = IMPORT_TYPES[row.status]
        row_result.row = row
        if row.instance is not None:
            row_result.instance = row.instance
            row_result.add_instance_info(row.instance)
        if row.status == ERROR:
            errors = {}
            for column, message in row.errors:
                errors.setdefault(column or NON_FIELD_ERRORS, []).append(message)
            row_result.validation_error = ValidationError(errors)
            result.append_invalid_row(row.line, {}, row_result.validation_error)
        result.append_row_result(row_result)
        result.increment_row_result_total(row_result)
    return result


# --- The template ----------------------------------------------------------------------------------
def build_template(columns, *, sheet_title, example, notes):
    """An XLSX to fill: the header row and an example row, then a sheet explaining every column."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    columns = [column for column in columns if column.imported]
    bold, wrap = Font(bold=True), Alignment(wrap_text=True, vertical="top")
    book = Workbook()
    sheet = book.active
    sheet.title = sheet_title
    sheet.append([str(column.header) for column in columns])
    sheet.append([_cell(example.get(column.key, column.example)) for column in columns])
    sheet.freeze_panes = "A2"
    for index, column in enumerate(columns, 1):
        sheet.column_dimensions[get_column_letter(index)].width = 30 if column.is_list else 22
        sheet.cell(1, index).font = bold
        sheet.cell(1, index).fill = PatternFill("solid", fgColor="DDE7F0")
        sheet.cell(2, index).alignment = wrap
        sheet.cell(2, index).font = Font(italic=True, color="555555")

    guide = book.create_sheet(_("Mode d'emploi"))
    for note in notes:
        guide.append([str(note)])
        guide.cell(guide.max_row, 1).alignment = Alignment(wrap_text=False)
    guide.append([])
    guide.append([_("Colonne"), _("Obligatoire"), _("Contenu"), _("Valeurs possibles"), _("Exemple")])
    for cell in guide[guide.max_row]:
        cell.font = bold
        cell.fill = PatternFill("solid", fgColor="DDE7F0")
    for column in columns:
        guide.append(
            [
                str(column.header),
                str(column.required or _("non")),
                str(column.help),
                column.allowed_text(),
                str(column.example),
            ]
        )
        for cell in guide[guide.max_row]:
            cell.alignment = wrap
    for letter, width in zip("ABCDE", (24, 18, 60, 60, 40), strict=True):
        guide.column_dimensions[letter].width = width
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _cell(value):
    return value if isinstance(value, int | float) else str(value)
