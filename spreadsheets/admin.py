"""The admin's spreadsheet import and export, on django-import-export's upload, preview and confirm steps.

Import is for users holding the model's "import" permission (IMPORT_EXPORT_IMPORT_PERMISSION_CODE);
the file's format is recognised from its content; the preview lists every row with its changes or
its errors in French, and the confirm button appears only when there is no error.
"""

from django.conf import settings
from django.contrib import messages as django_messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse, HttpResponseRedirect
from django.template.defaultfilters import filesizeformat
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from import_export.admin import ImportExportMixin
from import_export.forms import ExportForm, ImportForm

from lib.text import slug_for
from lib.urls import site_url

from .formats import CSVExport, JSONExport, ODSExport, SpreadsheetImportFormat, XLSXExport
from .reading import SpreadsheetError, check_size

XLSX_TYPE = XLSXExport.content_type


class SpreadsheetImportForm(ImportForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["import_file"].label = gettext_lazy("Fichier à importer")
        self.fields["import_file"].help_text = gettext_lazy(
            "CSV (séparé par des points-virgules ou des virgules, en UTF-8 ou Windows-1252), XLSX, XLS, "
            "ODS ou JSON ; %(size)s et %(rows)s lignes au plus."
        ) % {
            "size": filesizeformat(settings.IMPORT_MAX_FILE_SIZE),
            "rows": f"{settings.IMPORT_MAX_ROWS:,}".replace(",", "\u202f"),
        }

    def clean_import_file(self):
        import_file = self.cleaned_data["import_file"]
        try:
            check_size(import_file.size)
        except SpreadsheetError as error:
            raise ValidationError(error.message) from error
        return import_file


class SpreadsheetImportExportMixin(ImportExportMixin):
    import_formats = [SpreadsheetImportFormat]
    export_formats = [CSVExport, XLSXExport, ODSExport, JSONExport]
    import_form_class = SpreadsheetImportForm
    # Every column, always: a file that lists them all imports back unchanged, and the page stays simple.
    export_form_class = ExportForm
    import_template_name = "admin/import_export/spreadsheet_import.html"
    #: A function returning the bytes of the XLSX template to fill in, or None.
    import_template_file = None

    def get_urls(self):
        urls = super().get_urls()
        if self.import_template_file is None:
            return urls
        info = self.get_model_info()
        template = path(
            "import/modele/",
            self.admin_site.admin_view(self.import_template_view),
            name="{}_{}_import_template".format(*info),
        )
        return [template, *urls]

    def import_template_view(self, request):
        if not self.has_import_permission(request):
            raise PermissionDenied
        response = HttpResponse(self.import_template_file(), content_type=XLSX_TYPE)
        name = slug_for(self.opts.verbose_name_plural)
        response["Content-Disposition"] = f'attachment; filename="modele-import-{name}.xlsx"'
        return response

    def get_import_context_data(self, **kwargs):
        context = super().get_import_context_data(**kwargs)
        if self.import_template_file is not None:
            context["import_template_url"] = reverse(
                "admin:{}_{}_import_template".format(*self.get_model_info())
            )
        return context

    def import_action(self, request, **kwargs):
        response = super().import_action(request, **kwargs)
        # The import page lists the columns it reads: not those that exports write for people only.
        if isinstance(response, TemplateResponse) and "fields_list" in (response.context_data or {}):
            written_only = {
                str(column.header)
                for resource_class in self.get_import_resource_classes(request)
                for column in resource_class.columns
                if not column.imported
            }
            response.context_data["fields_list"] = [
                (name, [field for field in fields if str(field) not in written_only])
                for name, fields in response.context_data["fields_list"]
            ]
        return response

    def add_data_read_fail_error_to_form(self, form, e):
        if isinstance(e, SpreadsheetError):
            form.add_error("import_file", e.message)
        else:
            super().add_data_read_fail_error_to_form(form, e)

    def process_result(self, result, request):
        # The file is read again when confirmed: if the data it refers to changed since the preview,
        # it may now have errors. Then nothing was written, and the person must know it.
        report = result.report
        if not report.has_errors:
            return super().process_result(result, request)
        errors = report.messages()
        message = _(
            "Rien n'a été importé : depuis l'aperçu, le fichier est devenu incorrect (erreurs : %(count)s). "
            "%(first)s Envoyez-le à nouveau pour voir l'aperçu."
        ) % {"count": len(errors), "first": errors[0]}
        self.message_user(request, message, level=django_messages.ERROR)
        return HttpResponseRedirect(reverse("admin:{}_{}_import".format(*self.get_model_info())))

    def add_success_message(self, result, request):
        self.message_user(request, _("Import terminé. %(summary)s.") % {"summary": result.report.summary()})

    def has_export_permission(self, request):
        # The rows of the change list, drafts and internal notes included: only for whoever may read
        # them there. A staff account whose roles were removed reads nothing, here as in /espace/.
        return self.has_view_permission(request)

    def get_export_resource_kwargs(self, request, **kwargs):
        # The site's address, for the columns that link to a page of the site.
        return {
            **super().get_export_resource_kwargs(request, **kwargs),
            "base_url": site_url(request) + "/",
        }

    def get_export_filename(self, request, queryset, file_format):
        date = timezone.localdate().isoformat()
        return f"{slug_for(self.opts.verbose_name_plural)}-{date}.{file_format.get_extension()}"
