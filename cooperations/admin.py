from django import forms
from django.contrib import admin, messages
from django.contrib.admin.widgets import AdminTextareaWidget
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse, HttpResponseNotAllowed, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from lib.history_admin import VersionHistoryAdmin
from lib.history_changes import join
from lib.markdown import render_markdown
from spreadsheets.admin import SpreadsheetImportExportMixin
from territories.models import Region

from .forms import CooperationAdminForm
from .history import add_children_changes
from .models import (
    ConcurrentEditError,
    Cooperation,
    CooperationForm,
    LevelSheet,
    OutcomeFigure,
    Participation,
    Source,
    Synonym,
    rights,
)
from .resources import CooperationResource, template_file
from .services import (
    PUBLISH_PERMISSION,
    cooperation_publish,
    cooperation_restore,
    cooperation_restore_deleted,
    cooperation_unpublish,
)

MARKDOWN_FIELDS = ["summary", *Cooperation.SECTION_FIELDS, "figures_text"]


@admin.register(CooperationForm)
class CooperationFormAdmin(admin.ModelAdmin):
    list_display = ["name", "short_name", "code", "position"]
    list_editable = ["position"]
    search_fields = ["name", "short_name", "code"]


@admin.register(LevelSheet)
class LevelSheetAdmin(admin.ModelAdmin):
    list_display = ["code", "summary"]


@admin.register(Synonym)
class SynonymAdmin(admin.ModelAdmin):
    """The search's equivalences: a query with one expression of a line finds the fiches using another."""

    list_display = ["__str__"]
    search_fields = ["terms"]


@admin.register(Source)
class SourceAdmin(admin.ModelAdmin):
    list_display = ["title", "publisher", "published_on", "published_year"]
    search_fields = ["title", "publisher", "key"]


class ParticipationInline(admin.TabularInline):
    model = Participation
    extra = 1
    autocomplete_fields = ["structure"]
    verbose_name_plural = gettext_lazy("Qui coopère")


class OutcomeFigureInline(admin.TabularInline):
    model = OutcomeFigure
    extra = 0
    fields = ["value", "unit", "label", "position"]


class RegionFilter(admin.SimpleListFilter):
    """By region, whether the fiche names the region itself or one of its departments."""

    title = gettext_lazy("région")
    parameter_name = "region"

    def lookups(self, request, model_admin):
        return [(region.code, region.name) for region in Region.objects.order_by("name")]

    def queryset(self, request, queryset):
        return queryset.in_region(self.value()) if self.value() else queryset


@admin.register(Cooperation)
class CooperationAdmin(SpreadsheetImportExportMixin, VersionHistoryAdmin):
    resource_classes = [CooperationResource]
    import_template_file = staticmethod(template_file)
    # Import-export wraps this change list (and its link to the deleted fiches) in its own.
    change_list_template = "admin/cooperations/cooperation/change_list.html"
    form = CooperationAdminForm
    list_display = ["title", "status", "level", "organisation", "updated_at", "updated_by", "published_at"]
    list_filter = ["status", "organisation", RegionFilter, "forms", "level", "sectors", "scope"]
    list_select_related = ["updated_by", "organisation"]
    search_fields = ["title", "summary", "slug"]
    autocomplete_fields = ["regions", "departments", "communes", "sectors", "sources"]
    inlines = [ParticipationInline, OutcomeFigureInline]
    readonly_fields = ["created_at", "updated_at", "created_by", "updated_by", "published_at", "published_by"]
    actions = ["publish_selected", "unpublish_selected"]
    save_on_top = True
    fieldsets = [
        (
            gettext_lazy("L'essentiel"),
            # The classes name the inline shown right after the fieldset (see the change_form template).
            {
                "fields": ["title", "slug", "status", "organisation", "summary", "version"],
                "classes": ["participations"],
            },
        ),
        (gettext_lazy("Typologie"), {"fields": ["level", "forms", "sectors", "start_year"]}),
        (gettext_lazy("Territoire"), {"fields": ["scope", "regions", "departments", "communes"]}),
        (
            gettext_lazy("La fiche"),
            {
                "fields": list(Cooperation.SECTION_FIELDS),
                "description": gettext_lazy(
                    "Texte en Markdown : **gras**, *italique*, listes en commençant les lignes par « - », "
                    "liens sous la forme [texte](https://…). « Prévisualiser » montre le rendu sous le champ."
                ),
            },
        ),
        (
            gettext_lazy("Chiffres clés"),
            {"fields": ["jobs_created", "people_supported", "figures_text"], "classes": ["figures"]},
        ),
        (gettext_lazy("Sources"), {"fields": ["sources"]}),
        (
            gettext_lazy("Note interne"),
            {
                "fields": ["internal_note"],
                "description": gettext_lazy(
                    "Réservée à l'équipe : elle n'apparaît ni sur le site, ni dans les exports, ni dans "
                    "la recherche."
                ),
            },
        ),
        (
            gettext_lazy("Suivi"),
            {
                "fields": [
                    "created_at",
                    "created_by",
                    "updated_at",
                    "updated_by",
                    "published_at",
                    "published_by",
                ],
                "classes": ["collapse"],
            },
        ),
    ]

    class Media:
        js = ["editing/markdown_preview.js"]
        css = {"all": ["editing/admin.css"]}

    def get_urls(self):
        view = self.admin_site.admin_view
        return [
            path("apercu-markdown/", view(self.markdown_preview_view), name="cooperations_markdown_preview"),
            path("supprimees/", view(self.deleted_view), name="cooperations_cooperation_deleted"),
            path(
                "supprimees/<int:history_id>/retablir/",
                view(self.restore_deleted_view),
                name="cooperations_cooperation_restore_deleted",
            ),
            *super().get_urls(),
        ]

    # --- The form ----------------------------------------------------------------------------

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)
        except ConcurrentEditError:
            # Two saves in the same instant, past the form's check (which locks the row on PostgreSQL).
            self.message_user(
                request,
                _(
                    "Quelqu'un a enregistré cette fiche au même instant : vos modifications n'ont pas été "
                    "enregistrées. Voici la version actuelle."
                ),
                messages.ERROR,
            )
            return HttpResponseRedirect(request.path)

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if db_field.name in MARKDOWN_FIELDS:
            kwargs["widget"] = AdminTextareaWidget(
                attrs={"rows": 6, "data-markdown-preview": reverse("admin:cooperations_markdown_preview")}
            )
        return super().formfield_for_dbfield(db_field, request, **kwargs)

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if db_field.name == "forms":
            kwargs["widget"] = forms.CheckboxSelectMultiple
            field = super().formfield_for_manytomany(db_field, request, **kwargs)
            field.label_from_instance = lambda form: form.full_name
            return field
        return super().formfield_for_manytomany(db_field, request, **kwargs)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "organisation":
            # An Éditeur gives a fiche one of their organisations, or none (rights.py).
            kwargs["queryset"] = rights.organisation_choices(request.user, _edited_organisation(request))
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def get_readonly_fields(self, request, obj=None):
        fields = list(super().get_readonly_fields(request, obj))
        if obj is None:
            # A fiche starts as a draft; it is published once written.
            return [*fields, "status"]
        if not self.has_publish_permission(request) or not rights.can_publish(request.user, obj):
            fields.append("status")
        return fields

    def has_change_permission(self, request, obj=None):
        # Another organisation's fiche is read, not changed: its editors decide (rights.py).
        allowed = super().has_change_permission(request, obj)
        return allowed and (obj is None or rights.can_edit(request.user, obj))

    def save_model(self, request, obj, form, change):
        if not change:
            obj.created_by = request.user
        obj.updated_by = request.user
        if change and "status" in form.changed_data:
            # Publication goes through its service, which checks the permission and records who and when.
            wanted = obj.status
            obj.status = form.initial["status"]
            if wanted == Cooperation.Status.PUBLISHED:
                cooperation_publish(cooperation=obj, user=request.user)
                self.message_user(
                    request, _("La fiche est publiée : elle est visible de tous."), messages.INFO
                )
            else:
                cooperation_unpublish(cooperation=obj, user=request.user)
                self.message_user(
                    request, _("La fiche est dépubliée : seule l'équipe la voit."), messages.INFO
                )
            return
        super().save_model(request, obj, form, change)

    def view_on_site(self, obj):
        if obj.is_published:
            return obj.get_absolute_url()
        return reverse("cooperations:preview", args=[obj.slug])

    # --- Publication -------------------------------------------------------------------------

    def has_publish_permission(self, request):
        return request.user.has_perm(PUBLISH_PERMISSION)

    @admin.action(description=gettext_lazy("Publier les fiches sélectionnées"), permissions=["publish"])
    def publish_selected(self, request, queryset):
        self._change_status(request, queryset, cooperation_publish)

    @admin.action(description=gettext_lazy("Dépublier les fiches sélectionnées"), permissions=["publish"])
    def unpublish_selected(self, request, queryset):
        self._change_status(request, queryset, cooperation_unpublish)

    def _change_status(self, request, queryset, service):
        done, skipped, refused = 0, 0, 0
        for cooperation in queryset.select_related("organisation"):
            try:
                service(cooperation=cooperation, user=request.user)
            except ValidationError:
                skipped += 1
            except PermissionDenied:
                refused += 1
            else:
                done += 1
        if refused:
            message = ngettext(
                "%(count)d fiche est suivie par un autre réseau : ses éditeurs seuls la publient.",
                "%(count)d fiches sont suivies par d'autres réseaux : leurs éditeurs seuls les publient.",
                refused,
            )
            self.message_user(request, message % {"count": refused}, messages.ERROR)
        published = service is cooperation_publish
        if done:
            message = (
                ngettext("%(count)d fiche publiée.", "%(count)d fiches publiées.", done)
                if published
                else ngettext("%(count)d fiche dépubliée.", "%(count)d fiches dépubliées.", done)
            )
            self.message_user(request, message % {"count": done}, messages.SUCCESS)
        if skipped:
            message = (
                ngettext("%(count)d fiche l'était déjà.", "%(count)d fiches l'étaient déjà.", skipped)
                if published
                else ngettext(
                    "%(count)d fiche n'était pas publiée.",
                    "%(count)d fiches n'étaient pas publiées.",
                    skipped,
                )
            )
            self.message_user(request, message % {"count": skipped}, messages.WARNING)

    # --- Markdown preview --------------------------------------------------------------------

    def markdown_preview_view(self, request):
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        if not (self.has_change_permission(request) or self.has_add_permission(request)):
            raise PermissionDenied
        return HttpResponse(render_markdown(request.POST.get("text", "")))

    # --- History: participations and figures, restore --------------------------------------

    def history_view(self, request, object_id, extra_context=None):
        # A fiche is restored after a preview and a confirmation, on the workspace's restore page.
        context = {"restore_url_name": "editing:restore", "restore_shows_preview": True}
        return super().history_view(request, object_id, extra_context={**context, **(extra_context or {})})

    def add_related_history_changes(self, request, records):
        if records:
            add_children_changes(records)

    def restore_version(self, request, obj, record):
        return cooperation_restore(record=record, user=request.user)

    # --- Deleted fiches ----------------------------------------------------------------------

    def deleted_records(self):
        """The last record of each deleted fiche, newest first."""
        deleted = (
            Cooperation.history.filter(history_type="-")
            .exclude(id__in=Cooperation.objects.values("pk"))
            .select_related("history_user")
        )
        latest = {}
        for record in deleted.order_by("-history_date")[:500]:
            latest.setdefault(record.id, record)
        return list(latest.values())

    def deleted_view(self, request):
        if not self.has_view_permission(request):
            raise PermissionDenied
        context = {
            **self.admin_site.each_context(request),
            "title": _("Fiches supprimées"),
            "opts": self.opts,
            "records": self.deleted_records(),
            "can_restore": self.has_add_permission(request),
        }
        return TemplateResponse(request, "admin/cooperations/cooperation/deleted_list.html", context)

    def restore_deleted_view(self, request, history_id):
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        if not self.has_add_permission(request):
            raise PermissionDenied
        record = get_object_or_404(Cooperation.history, history_id=history_id, history_type="-")
        try:
            cooperation, missing = cooperation_restore_deleted(record=record, user=request.user)
        except ValidationError as error:
            self.message_user(request, join(error.messages), messages.ERROR)
            return HttpResponseRedirect(reverse("admin:cooperations_cooperation_deleted"))
        done = _("« %(title)s » est rétablie, en brouillon : relisez-la avant de la publier à nouveau.")
        self.message_restored(request, done % {"title": cooperation.title}, missing)
        return HttpResponseRedirect(reverse("admin:cooperations_cooperation_change", args=[cooperation.pk]))


@admin.register(Participation)
class ParticipationAdmin(admin.ModelAdmin):
    list_display = ["cooperation", "structure", "role"]
    list_filter = ["role", "structure__kind"]
    list_select_related = ["cooperation", "structure"]
    search_fields = ["cooperation__title", "structure__name"]
    autocomplete_fields = ["cooperation", "structure"]


def _edited_organisation(request):
    """The organisation of the fiche the admin's change form shows, kept among its choices."""
    match = request.resolver_match
    object_id = str(match.kwargs.get("object_id", "")) if match else ""
    if not object_id.isdigit():
        return None
    return Cooperation.objects.filter(pk=object_id).values_list("organisation_id", flat=True).first()
