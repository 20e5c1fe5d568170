from django.contrib import admin

from core.import_admin import SpreadsheetImportExportMixin

from .models import Network, Sector, Structure
from .resources import StructureResource, template_file


@admin.register(Sector)
class SectorAdmin(admin.ModelAdmin):
    list_display = ["name", "slug"]
    search_fields = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Network)
class NetworkAdmin(admin.ModelAdmin):
    list_display = ["name"]
    search_fields = ["name"]
    readonly_fields = ["slug"]


@admin.register(Structure)
class StructureAdmin(SpreadsheetImportExportMixin, admin.ModelAdmin):
    resource_classes = [StructureResource]
    import_template_file = staticmethod(template_file)
    list_display = ["name", "kind", "commune", "department", "siret"]
    list_filter = ["kind", "department__region", "networks", "sectors"]
    list_select_related = ["commune", "department"]
    search_fields = ["name", "search_name", "siret"]
    autocomplete_fields = ["commune", "department", "sectors", "networks"]
    readonly_fields = ["slug", "created_at", "updated_at"]
    fieldsets = [
        (None, {"fields": ["name", "kind", "siret", "slug"]}),
        ("Localisation", {"fields": ["commune", "department"]}),
        ("Présentation", {"fields": ["website", "description", "sectors", "networks"]}),
        ("Suivi", {"fields": ["created_at", "updated_at"], "classes": ["collapse"]}),
    ]
