from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.http import HttpResponseRedirect
from django.template.defaultfilters import linebreaks_filter
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe
from django.utils.text import Truncator
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from cooperations.admin import CooperationAdmin
from cooperations.models import Cooperation

from .models import Correction, Proposal
from .services import correction_accept, correction_dismiss, proposal_accept


@admin.register(Proposal)
class ProposalAdmin(admin.ModelAdmin):
    list_display = ["cooperation_title", "department", "contact_name", "submitted_at", "status"]
    list_filter = ["status"]
    list_select_related = ["cooperation"]
    search_fields = ["cooperation__title", "contact_name", "contact_email", "structures_text"]
    # Setting one aside needs a reason for the person: that is done on its review page.
    actions = ["accept"]
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
    # Decisions go through the review page (a reason to write, the person told), not this form.
    readonly_fields = [
        "draft",
        "structures_list",
        "contact_name",
        "contact_email",
        "submitted_at",
        "status",
        "dismissal_reason",
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

    @admin.display(description=_("coopération proposée"), ordering="cooperation__title")
    def cooperation_title(self, obj):
        return obj.cooperation.title

    @admin.display(description=_("département"))
    def department(self, obj):
        return ", ".join(str(d) for d in obj.cooperation.departments.all())

    @admin.display(description=_("fiche brouillon"))
    def draft(self, obj):
        return format_html(
            '<a href="{}">{}</a> · <a href="{}">{}</a> · <a href="{}">{}</a>',
            reverse("editing:review_proposal", args=[obj.pk]),
            _("retenir ou écarter"),
            reverse("editing:cooperation_edit", args=[obj.cooperation_id]),
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
        """Each proposal through its service (the person is told); a link to each draft to complete."""
        for proposal in queryset.select_related("cooperation"):
            try:
                proposal_accept(proposal=proposal, user=request.user)
            except ValidationError as error:
                self.message_user(request, f"{proposal} : {' '.join(error.messages)}", messages.WARNING)
                continue
            self.message_user(
                request,
                format_html(
                    _('Proposition retenue : <a href="{url}">compléter le brouillon « {title} »</a>.'),
                    url=reverse("editing:cooperation_edit", args=[proposal.cooperation_id]),
                    title=proposal.cooperation.title,
                ),
                messages.SUCCESS,
            )


# --- Corrections ------------------------------------------------------------------------------------


class CorrectionReviewForm(forms.ModelForm):
    """The editor's decision on a pending suggestion; a dismissal needs its reason."""

    decision = forms.ChoiceField(
        label=_("Décision"),
        choices=[
            (Correction.Status.ACCEPTED, _("Retenir, puis modifier la fiche")),
            (Correction.Status.DISMISSED, _("Écarter, en disant pourquoi")),
        ],
        widget=forms.RadioSelect,
    )

    class Meta:
        model = Correction
        fields = ["dismissal_reason"]

    def clean(self):
        cleaned_data = super().clean()
        if (
            cleaned_data.get("decision") == Correction.Status.DISMISSED
            and not cleaned_data.get("dismissal_reason", "").strip()
        ):
            self.add_error(
                "dismissal_reason", _("Indiquez pourquoi la suggestion est écartée : la personne le lira.")
            )
        return cleaned_data


@admin.register(Correction)
class CorrectionAdmin(admin.ModelAdmin):
    list_display = ["cooperation_title", "excerpt", "sender", "submitted_at", "status"]
    list_filter = ["status"]
    list_select_related = ["cooperation"]
    search_fields = ["cooperation__title", "message", "name", "email"]
    INFO = ["fiche", "message_text", "sender", "submitted_at"]
    REVIEWED = ["status", "dismissal_reason", "reviewed_at", "reviewed_by"]

    class Media:
        css = {"all": ["proposals/admin.css"]}

    def has_add_permission(self, request):
        return False  # suggestions come from the public form

    def changelist_view(self, request, extra_context=None):
        # The list opens on what is left to examine.
        if request.method == "GET" and not request.GET:
            return HttpResponseRedirect(f"{request.path}?status__exact={Correction.Status.PENDING}")
        return super().changelist_view(request, extra_context)

    def has_change_permission(self, request, obj=None):
        # A decision is final: a reviewed suggestion is only read.
        return super().has_change_permission(request, obj) and (obj is None or obj.is_pending)

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        extra_context = {**(extra_context or {}), "show_save_and_continue": False}
        return super().changeform_view(request, object_id, form_url, extra_context)

    def get_fields(self, request, obj=None):
        if obj is not None and obj.is_pending:
            return [*self.INFO, "decision", "dismissal_reason"]
        return [*self.INFO, *self.REVIEWED]

    def get_readonly_fields(self, request, obj=None):
        if obj is not None and obj.is_pending:
            return self.INFO
        return [*self.INFO, *self.REVIEWED]

    def get_form(self, request, obj=None, change=False, **kwargs):
        if obj is not None and obj.is_pending:
            kwargs["form"] = CorrectionReviewForm
        return super().get_form(request, obj, change, **kwargs)

    def save_model(self, request, obj, form, change):
        decision = form.cleaned_data.get("decision")
        if decision == Correction.Status.ACCEPTED:
            correction_accept(correction=obj, user=request.user)
        elif decision == Correction.Status.DISMISSED:
            correction_dismiss(correction=obj, user=request.user, reason=obj.dismissal_reason)

    def response_change(self, request, obj):
        told = gettext("La personne en est prévenue par e-mail.") if obj.email else ""
        if obj.status == Correction.Status.ACCEPTED:
            done = gettext("Suggestion retenue : modifiez la fiche ci-dessous.")
            self.message_user(request, f"{done} {told}".strip(), messages.SUCCESS)
            return HttpResponseRedirect(
                reverse("admin:cooperations_cooperation_change", args=[obj.cooperation_id])
            )
        if obj.status == Correction.Status.DISMISSED:
            self.message_user(request, f"{gettext('Suggestion écartée.')} {told}".strip(), messages.SUCCESS)
            return HttpResponseRedirect(reverse("admin:proposals_correction_changelist"))
        return super().response_change(request, obj)

    @admin.display(description=_("fiche"), ordering="cooperation__title")
    def cooperation_title(self, obj):
        return obj.cooperation.title

    @admin.display(description=_("suggestion"))
    def excerpt(self, obj):
        return Truncator(obj.message).chars(90)

    @admin.display(description=_("envoyée par"))
    def sender(self, obj):
        if obj.email:
            return format_html("{} <{}>", obj.name, obj.email) if obj.name else obj.email
        return obj.name or _("anonyme (ne sera pas prévenu)")

    @admin.display(description=_("fiche"))
    def fiche(self, obj):
        return format_html(
            '<a href="{}">{}</a> · <a href="{}">{}</a> · <a href="{}">{}</a>',
            obj.cooperation.get_absolute_url(),
            obj.cooperation.title,
            reverse("admin:cooperations_cooperation_change", args=[obj.cooperation_id]),
            _("modifier la fiche"),
            reverse("admin:cooperations_cooperation_history", args=[obj.cooperation_id]),
            _("historique"),
        )

    @admin.display(description=_("suggestion"))
    def message_text(self, obj):
        return linebreaks_filter(obj.message, autoescape=True)


# The fiche's own admin, with the suggestions waiting on it shown above its form: editors read them
# beside what they correct. This app extends the fiche's admin, which knows nothing of suggestions.
admin.site.unregister(Cooperation)


@admin.register(Cooperation)
class CooperationWithCorrectionsAdmin(CooperationAdmin):
    change_form_template = "admin/proposals/cooperation_change_form.html"

    class Media:
        css = {"all": ["proposals/admin.css"]}

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        if object_id and str(object_id).isdigit():
            pending = Correction.objects.pending().filter(cooperation_id=int(object_id))
            extra_context = {**(extra_context or {}), "pending_corrections": list(pending)}
        return super().changeform_view(request, object_id, form_url, extra_context)
