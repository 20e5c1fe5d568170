from django.contrib import admin

from lib.text import fold

from .models import EPCI, Commune, Department, Region


class TerritoryAdmin(admin.ModelAdmin):
    # "^code" lists a department's communes from its code ("93"); the name is matched on its folded
    # form, so "Villeneuve-d'Ascq" and "villeneuve d ascq" find the same commune.
    search_fields = ["^code", "search_name"]
    readonly_fields = ["search_name"]

    def get_search_results(self, request, queryset, search_term):
        return super().get_search_results(request, queryset, fold(search_term))


@admin.register(Region)
class RegionAdmin(TerritoryAdmin):
    list_display = ["code", "name"]


@admin.register(Department)
class DepartmentAdmin(TerritoryAdmin):
    list_display = ["code", "name", "region"]
    list_filter = ["region"]
    list_select_related = ["region"]
    autocomplete_fields = ["region"]


@admin.register(EPCI)
class EPCIAdmin(TerritoryAdmin):
    list_display = ["code", "name", "kind"]
    list_filter = ["kind"]


@admin.register(Commune)
class CommuneAdmin(TerritoryAdmin):
    list_display = ["code", "name", "department", "epci", "population"]
    list_filter = ["department__region"]
    list_select_related = ["department", "epci"]
    autocomplete_fields = ["department", "epci"]
