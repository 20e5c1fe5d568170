from django.contrib import admin

from .models import EPCI, Commune, Department, Region


@admin.register(Region)
class RegionAdmin(admin.ModelAdmin):
    list_display = ["code", "name"]
    search_fields = ["code", "name", "search_name"]
    readonly_fields = ["search_name"]


@admin.register(Department)
class DepartmentAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "region"]
    list_filter = ["region"]
    list_select_related = ["region"]
    search_fields = ["code", "name", "search_name"]
    autocomplete_fields = ["region"]


@admin.register(EPCI)
class EPCIAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "kind"]
    list_filter = ["kind"]
    search_fields = ["code", "name", "search_name"]


@admin.register(Commune)
class CommuneAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "department", "epci", "population"]
    list_filter = ["department__region"]
    list_select_related = ["department", "epci"]
    search_fields = ["code", "name", "search_name"]
    autocomplete_fields = ["department", "epci"]
