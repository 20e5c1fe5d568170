from django.contrib import admin
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _

from cooperations.models import Participation
from core.import_admin import SpreadsheetImportExportMixin
from editing.admin import VersionHistoryAdmin

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
class StructureAdmin(SpreadsheetImportExportMixin, VersionHistoryAdmin):
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
        (_("Localisation"), {"fields": ["commune", "department"]}),
        (_("Présentation"), {"fields": ["website", "description", "sectors", "networks"]}),
        (_("Suivi"), {"fields": ["created_at", "updated_at"], "classes": ["collapse"]}),
    ]
    delete_confirmation_template = "admin/structures/structure/delete_confirmation.html"
    delete_selected_confirmation_template = "admin/structures/structure/delete_selected_confirmation.html"

    def get_deleted_objects(self, objs, request):
        deleted, counts, perms_needed, protected = super().get_deleted_objects(objs, request)
        if protected:
            # Name the fiches a structure takes part in, rather than the participation rows.
            protected = self.fiches_by_structure(objs)
        return deleted, counts, perms_needed, protected

    def fiches_by_structure(self, structures):
        participations = (
            Participation.objects.filter(structure__in=structures)
            .select_related("structure", "cooperation")
            .order_by("structure__name", "cooperation__title")
        )
        fiches = {}
        for participation in participations:
            fiches.setdefault(participation.structure, []).append(participation.cooperation)
        return [
            format_html(
                "{} : {}",
                structure.name,
                format_html_join(
                    ", ",
                    '<a href="{}">{}</a>',
                    (
                        (reverse("admin:cooperations_cooperation_change", args=[c.pk]), c.title)
                        for c in cooperations
                    ),
                ),
            )
            for structure, cooperations in fiches.items()
        ]
