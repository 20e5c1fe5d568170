from django import forms
from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from core.import_admin import SpreadsheetImportExportMixin

from .models import Cooperation, CooperationForm, LevelSheet, OutcomeFigure, Participation, Source
from .resources import CooperationResource, template_file


@admin.register(CooperationForm)
class CooperationFormAdmin(admin.ModelAdmin):
    list_display = ["name", "short_name", "code", "position"]
    list_editable = ["position"]
    search_fields = ["name", "short_name", "code"]


@admin.register(LevelSheet)
class LevelSheetAdmin(admin.ModelAdmin):
    list_display = ["code", "summary"]


@admin.register(Source)
class SourceAdmin(admin.ModelAdmin):
    list_display = ["title", "publisher", "published_on", "published_year"]
    search_fields = ["title", "publisher", "key"]


class ParticipationInline(admin.TabularInline):
    model = Participation
    extra = 1
    autocomplete_fields = ["structure"]


class OutcomeFigureInline(admin.TabularInline):
    model = OutcomeFigure
    extra = 0
    fields = ["value", "unit", "label", "position"]


@admin.register(Cooperation)
class CooperationAdmin(SpreadsheetImportExportMixin, admin.ModelAdmin):
    resource_classes = [CooperationResource]
    import_template_file = staticmethod(template_file)
    list_display = ["title", "status", "level", "scope", "start_year", "updated_at"]
    list_filter = ["status", "level", "forms", "departments__region", "sectors", "scope"]
    search_fields = ["title", "summary", "slug"]
    autocomplete_fields = ["regions", "departments", "communes", "sectors", "sources"]
    inlines = [ParticipationInline, OutcomeFigureInline]
    readonly_fields = ["created_at", "updated_at", "created_by", "updated_by", "published_at", "published_by"]
    save_on_top = True
    fieldsets = [
        (None, {"fields": ["title", "slug", "status", "summary"]}),
        (_("Typologie"), {"fields": ["level", "forms", "sectors", "start_year"]}),
        (_("Territoire"), {"fields": ["scope", "regions", "departments", "communes"]}),
        (
            _("La fiche"),
            {
                "fields": [
                    "context",
                    "objectives",
                    "implementation",
                    "results",
                    "success_factors",
                    "difficulties",
                    "indicators",
                    "replicability",
                ]
            },
        ),
        (_("Chiffres clés"), {"fields": ["jobs_created", "people_supported", "figures_text"]}),
        (_("Sources"), {"fields": ["sources"]}),
        (
            _("Suivi"),
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

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if db_field.name == "forms":
            kwargs["widget"] = forms.CheckboxSelectMultiple
        return super().formfield_for_manytomany(db_field, request, **kwargs)

    def get_prepopulated_fields(self, request, obj=None):
        return {} if obj else {"slug": ["title"]}

    def get_readonly_fields(self, request, obj=None):
        # The slug is the public address: fixed once the fiche exists so that links keep working.
        fields = list(super().get_readonly_fields(request, obj))
        return [*fields, "slug"] if obj else fields

    def save_model(self, request, obj, form, change):
        if not change:
            obj.created_by = request.user
        obj.updated_by = request.user
        super().save_model(request, obj, form, change)


@admin.register(Participation)
class ParticipationAdmin(admin.ModelAdmin):
    list_display = ["cooperation", "structure", "role"]
    list_filter = ["role", "structure__kind"]
    list_select_related = ["cooperation", "structure"]
    search_fields = ["cooperation__title", "structure__name"]
    autocomplete_fields = ["cooperation", "structure"]
