"""The accounts in the admin: Administrateurs manage the team's accounts, never more than they hold.

Replaces the stock registration of the user model. A person who is not a superuser
- never sees a superuser's account: not in the list, not its form, not its password form;
- cannot make anyone superuser, nor give permissions one by one: roles come from groups;
- gives only the groups whose every permission they hold themselves (Éditeurs, Administrateurs);
- cannot change their own groups, staff status or activity, nor delete their own account.
"""

from django import forms
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin
from django.contrib.auth.models import Group, Permission
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

User = get_user_model()
SUPERUSER_ONLY_FIELDS = ("is_superuser", "user_permissions")
OWN_ACCOUNT_READONLY = ("is_active", "is_staff", "groups")

admin.site.unregister(User)


@admin.register(User)
class AccountAdmin(UserAdmin):
    list_display = ("username", "email", "first_name", "last_name", "is_staff", "is_active")
    filter_horizontal = ("user_permissions",)
    readonly_fields = ("last_login", "date_joined")

    def get_queryset(self, request):
        accounts = super().get_queryset(request)
        return accounts if request.user.is_superuser else accounts.filter(is_superuser=False)

    def get_list_filter(self, request):
        filters = super().get_list_filter(request)
        return filters if request.user.is_superuser else [f for f in filters if f != "is_superuser"]

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        if obj is None or request.user.is_superuser:
            return fieldsets
        return [
            (name, {**options, "fields": [f for f in options["fields"] if f not in SUPERUSER_ONLY_FIELDS]})
            for name, options in fieldsets
        ]

    def get_readonly_fields(self, request, obj=None):
        fields = list(super().get_readonly_fields(request, obj))
        if obj is not None and obj.pk == request.user.pk and not request.user.is_superuser:
            fields += OWN_ACCOUNT_READONLY  # nobody raises, or locks out, themselves
        return fields

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if db_field.name == "groups":
            # Two roles, as boxes to tick rather than a two-list picker.
            kwargs["widget"] = forms.CheckboxSelectMultiple
            kwargs["queryset"] = grantable_groups(request.user)
            field = super().formfield_for_manytomany(db_field, request, **kwargs)
            field.label = _("Rôles")
            field.help_text = _(
                "Éditeurs : rédigent, corrigent et publient les fiches. Administrateurs : en plus, "
                "suppriment, importent et gèrent les comptes. Un rôle donne aussi l'accès à l'administration."
            )
            return field
        return super().formfield_for_manytomany(db_field, request, **kwargs)

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and self._may_touch(request, obj)

    def has_delete_permission(self, request, obj=None):
        own = obj is not None and obj.pk == request.user.pk
        return super().has_delete_permission(request, obj) and self._may_touch(request, obj) and not own

    def has_view_permission(self, request, obj=None):
        return super().has_view_permission(request, obj) and self._may_touch(request, obj)

    def _may_touch(self, request, obj):
        return obj is None or request.user.is_superuser or not obj.is_superuser

    def save_model(self, request, obj, form, change):
        if form.cleaned_data.get("groups"):
            obj.is_staff = True  # a role is meant for the administration
        super().save_model(request, obj, form, change)

    def save_related(self, request, form, formsets, change):
        # The form offers only the groups this person may give: keep the others the account has.
        kept = []
        if change and "groups" in form.fields and not request.user.is_superuser:
            offered = form.fields["groups"].queryset
            kept = list(form.instance.groups.exclude(pk__in=offered.values("pk")))
        super().save_related(request, form, formsets, change)
        form.instance.groups.add(*kept)


def grantable_groups(user):
    """The groups all of whose permissions `user` holds: giving one raises nobody above them."""
    if user.is_superuser:
        return Group.objects.all()
    held = Permission.objects.filter(Q(group__user=user) | Q(user=user)).values("pk")
    return Group.objects.exclude(permissions__in=Permission.objects.exclude(pk__in=held)).order_by("name")
