from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from .models import Subscription


@admin.register(Subscription)
class SubscriptionAdmin(admin.ModelAdmin):
    """Read and delete only (someone asking to be forgotten): alerts are made by their owners."""

    list_display = ["email", "followed", "frequency", "created_at", "confirmed_at", "last_sent_at"]
    list_filter = ["frequency", ("confirmed_at", admin.EmptyFieldListFilter)]
    list_select_related = ["cooperation"]
    search_fields = ["email"]
    fields = ["email", "followed", "frequency", "created_at", "confirmed_at", "last_sent_at"]
    readonly_fields = fields

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    @admin.display(description=_("suit"))
    def followed(self, obj):
        return obj.description
