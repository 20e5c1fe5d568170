from django.contrib import admin, messages
from django.http import HttpResponseRedirect
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from .models import Proposal


@admin.register(Proposal)
class ProposalAdmin(admin.ModelAdmin):
    list_display = ["cooperation_title", "department", "contact_name", "submitted_at", "status"]
    list_filter = ["status"]
    list_select_related = ["cooperation"]
    search_fields = ["cooperation__title", "contact_name", "contact_email", "structures_text"]
    actions = ["accept", "decline"]
    fields = [
        "draft",
        "structures_list",
        "contact_name",
        "contact_email",
        "submitted_at",
        "status",
        "reviewed_at",
        "reviewed_by",
    ]
    readonly_fields = [
        "draft",
        "structures_list",
        "contact_name",
        "contact_email",
        "submitted_at",
        "reviewed_at",
        "reviewed_by",
    ]

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("cooperation__departments")

    def has_add_permission(self, request):
        return False  # proposals come from the public form

    def changelist_view(self, request, extra_context=None):
        # The list opens on what is left to examine.
        if request.method == "GET" and not request.GET:
            return HttpResponseRedirect(f"{request.path}?status__exact={Proposal.Status.PENDING}")
        title = (
            _("Propositions à examiner")
            if request.GET.get("status__exact") == Proposal.Status.PENDING
            else None
        )
        return super().changelist_view(request, extra_context={"title": title} if title else extra_context)

    def save_model(self, request, obj, form, change):
        if "status" in form.changed_data:
            obj.reviewed_by, obj.reviewed_at = request.user, timezone.now()
        super().save_model(request, obj, form, change)

    @admin.display(description=_("coopération proposée"), ordering="cooperation__title")
    def cooperation_title(self, obj):
        return obj.cooperation.title

    @admin.display(description=_("département"))
    def department(self, obj):
        return ", ".join(str(d) for d in obj.cooperation.departments.all())

    @admin.display(description=_("fiche brouillon"))
    def draft(self, obj):
        return format_html(
            '<a href="{}">{}</a> · <a href="{}">{}</a>',
            reverse("admin:cooperations_cooperation_change", args=[obj.cooperation_id]),
            _("compléter la fiche"),
            reverse("cooperations:preview", args=[obj.cooperation.slug]),
            _("aperçu"),
        )

    @admin.display(description=_("structures indiquées"))
    def structures_list(self, obj):
        # One per line: a list would be pushed aside by the admin's form styles.
        return format_html_join(
            mark_safe("<br>"),  # noqa: S308 - a constant
            "{}{}",
            ((name, f" ({kind})" if kind else "") for name, kind in obj.structure_lines()),
        )

    @admin.action(description=_("Retenir : la fiche sera complétée et publiée"), permissions=["change"])
    def accept(self, request, queryset):
        self._review(request, queryset, Proposal.Status.ACCEPTED)

    @admin.action(description=_("Écarter : hors sujet ou indésirable"), permissions=["change"])
    def decline(self, request, queryset):
        self._review(request, queryset, Proposal.Status.DECLINED)

    def _review(self, request, queryset, status):
        count = queryset.update(status=status, reviewed_by=request.user, reviewed_at=timezone.now())
        message = ngettext("%(count)d proposition examinée.", "%(count)d propositions examinées.", count)
        self.message_user(request, message % {"count": count}, messages.SUCCESS)
