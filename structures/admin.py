from operator import attrgetter

from django import forms
from django.contrib import admin
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _

from lib.history_admin import VersionHistoryAdmin
from lib.text import SlugFormMixin, slug_for
from spreadsheets.admin import SpreadsheetImportExportMixin

from .models import Network, Sector, Structure
from .resources import StructureResource, template_file
from .services import structure_restore


class SectorAdminForm(SlugFormMixin, forms.ModelForm):
    class Meta:
        model = Sector
        fields = ["name", "short_names", "slug"]

    def clean(self):
        cleaned_data = super().clean()
        if not cleaned_data.get("slug"):  # the code, made from the name by the one rule for slugs
            cleaned_data["slug"] = slug_for(cleaned_data.get("name") or "", max_length=60)
        return cleaned_data


@admin.register(Sector)
class SectorAdmin(admin.ModelAdmin):
    form = SectorAdminForm
    list_display = ["name", "short_names", "slug"]
    search_fields = ["name", "short_names", "slug"]


@admin.register(Network)
class NetworkAdmin(admin.ModelAdmin):
    # Their logo and their editors are also managed in the workspace (/espace/reseaux/).
    list_display = ["name", "short_name", "kind"]
    list_filter = ["kind"]
    search_fields = ["name", "short_name"]
    readonly_fields = ["slug"]
    filter_horizontal = ["editors"]


class StructureAdminForm(SlugFormMixin, forms.ModelForm):
    class Meta:
        model = Structure
        fields = []  # the admin adds the fields of its fieldsets


@admin.register(Structure)
class StructureAdmin(SpreadsheetImportExportMixin, VersionHistoryAdmin):
    resource_classes = [StructureResource]
    import_template_file = staticmethod(template_file)
    list_display = ["name", "kind", "commune", "department", "siret"]
    list_filter = ["kind", "department__region", "networks", "sectors"]
    list_select_related = ["commune", "department"]
    search_fields = ["name", "search_name", "siret", "email"]
    autocomplete_fields = ["commune", "department", "sectors", "networks"]
    form = StructureAdminForm
    readonly_fields = ["created_at", "updated_at"]

    def restore_version(self, request, obj, record):
        # As the workspace restores it: its address and bookkeeping stay, as a new version.
        return structure_restore(record=record, user=request.user)

    fieldsets = [
        (None, {"fields": ["name", "kind", "siret", "slug"]}),
        (
            _("Coordonnées publiques"),
            {
                "fields": ["address", "postal_code", "commune", "department", "website", "email", "phone"],
                "description": _(
                    "Affichées sur la page de la structure et dans l'encart « Contacter » de ses fiches. "
                    "N'indiquez que des coordonnées de la structure, jamais celles d'une personne."
                ),
            },
        ),
        (_("Présentation"), {"fields": ["description", "sectors", "networks"]}),
        (_("Suivi"), {"fields": ["created_at", "updated_at"], "classes": ["collapse"]}),
        (
            _("Note interne"),
            {
                "fields": ["internal_note"],
                "description": _(
                    "Réservée à l'équipe : elle n'apparaît ni sur le site, ni dans les exports."
                ),
            },
        ),
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
        """Each structure that takes part in fiches, with links to them (its `participations`)."""
        structures = Structure.objects.filter(pk__in=[s.pk for s in structures]).order_by("name")
        lines = []
        for structure in structures.prefetch_related("participations__cooperation"):
            fiches = sorted((p.cooperation for p in structure.participations.all()), key=attrgetter("title"))
            if not fiches:
                continue
            links = format_html_join(
                ", ",
                '<a href="{}">{}</a>',
                ((reverse("admin:cooperations_cooperation_change", args=[c.pk]), c.title) for c in fiches),
            )
            lines.append(format_html("{} : {}", structure.name, links))
        return lines
