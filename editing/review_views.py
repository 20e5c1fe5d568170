"""/espace/a-examiner/ : one queue for what the public sends, proposals of fiches and suggestions on a fiche,
and for what public registries know of our structures (suggestion_views.py).

Accepting a proposal opens its draft in the editor; accepting a suggestion opens the fiche in the editor
with the suggestion beside it; dismissing either asks for a reason, which the person receives.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from cooperations.models import Participation, rights
from proposals.models import Correction, Proposal
from proposals.services import (
    REVIEW_CORRECTION_PERMISSION,
    REVIEW_PROPOSAL_PERMISSION,
    proposal_decline,
    proposed_structures,
)
from proposals.services import (
    correction_accept as accept_correction,
)
from proposals.services import (
    correction_dismiss as dismiss_correction,
)
from proposals.services import (
    proposal_accept as accept_proposal,
)
from structures.models import StructureSuggestion
from structures.resources import kind_label

from .review_forms import DismissForm

# A registry file may bring hundreds of them: the oldest are shown, the count says how many wait.
SUGGESTIONS_SHOWN = 50


def _reviewer(permission):
    """Visitors are sent to sign in; signed-in people without the role get 403."""

    def decorate(view):
        return login_required(permission_required(permission, raise_exception=True)(view))

    return decorate


@_reviewer(REVIEW_CORRECTION_PERMISSION)
def review_queue(request):
    context = {
        "proposals": list(
            Proposal.objects.pending()
            .order_by("submitted_at")
            .select_related("cooperation")
            .prefetch_related("cooperation__departments")
        ),
        # The suggestions on the fiches this person may edit: another organisation's go to its editors.
        "corrections": list(
            rights.within_reach(Correction.objects.pending(), request.user, "cooperation__organisation")
            .order_by("submitted_at")
            .select_related("cooperation__organisation")
        ),
        "can_review_proposals": request.user.has_perm(REVIEW_PROPOSAL_PERMISSION),
        "structure_suggestions": list(
            StructureSuggestion.objects.pending()
            .order_by("created_at", "pk")
            .select_related("structure")[:SUGGESTIONS_SHOWN]
        )
        if request.user.has_perm("structures.change_structuresuggestion")
        else [],
        "structure_suggestion_count": StructureSuggestion.objects.pending().count(),
    }
    return render(request, "editing/review/queue.html", context)


# --- Proposals ---------------------------------------------------------------------------------------


def _proposal(pk):
    queryset = Proposal.objects.select_related("cooperation", "reviewed_by")
    return get_object_or_404(
        queryset.prefetch_related("cooperation__departments", "cooperation__forms"), pk=pk
    )


def _render_proposal(request, proposal, form=None):
    roles = dict(Participation.Role.choices)
    proposed = [
        (
            {
                **row,
                "kind_label": kind_label(row["kind"]) if row["kind"] else "",
                "role_label": roles.get(row["role"]),
            },
            structure,
        )
        for row, structure in proposed_structures(proposal)
    ]
    context = {"proposal": proposal, "form": form or DismissForm(), "proposed": proposed}
    return render(request, "editing/review/proposal.html", context)


@_reviewer(REVIEW_PROPOSAL_PERMISSION)
def proposal_detail(request, pk):
    return _render_proposal(request, _proposal(pk))


@require_POST
@_reviewer(REVIEW_PROPOSAL_PERMISSION)
def proposal_accept(request, pk):
    proposal = _proposal(pk)
    try:
        accept_proposal(proposal=proposal, user=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("editing:review_proposal", pk=proposal.pk)
    messages.success(
        request,
        format_html(
            _("Proposition retenue : complétez le brouillon « {title} » ci-dessous, puis publiez-le. {told}"),
            title=proposal.cooperation.title,
            told=_("La personne en est prévenue par e-mail."),
        ),
    )
    return redirect("editing:cooperation_edit", pk=proposal.cooperation_id)


@require_POST
@_reviewer(REVIEW_PROPOSAL_PERMISSION)
def proposal_dismiss(request, pk):
    proposal = _proposal(pk)
    form = DismissForm(request.POST)
    if not form.is_valid():
        return _render_proposal(request, proposal, form)
    try:
        proposal_decline(proposal=proposal, user=request.user, reason=form.cleaned_data["reason"])
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("editing:review_proposal", pk=proposal.pk)
    messages.success(
        request,
        _("Proposition « %(title)s » écartée. La personne en est prévenue par e-mail, avec votre raison.")
        % {"title": proposal.cooperation.title},
    )
    return redirect("editing:review")


# --- Suggestions of correction --------------------------------------------------------------------


def _correction(pk, user):
    """The suggestion, if `user` may review it: on another organisation's fiche, a 403."""
    queryset = Correction.objects.select_related("cooperation__organisation", "reviewed_by")
    correction = get_object_or_404(queryset, pk=pk)
    if not rights.can_review(user, correction.cooperation, REVIEW_CORRECTION_PERMISSION):
        raise PermissionDenied
    return correction


def _render_correction(request, correction, form=None):
    context = {"correction": correction, "form": form or DismissForm()}
    return render(request, "editing/review/correction.html", context)


@_reviewer(REVIEW_CORRECTION_PERMISSION)
def correction_detail(request, pk):
    return _render_correction(request, _correction(pk, request.user))


@require_POST
@_reviewer(REVIEW_CORRECTION_PERMISSION)
def correction_accept(request, pk):
    correction = _correction(pk, request.user)
    try:
        accept_correction(correction=correction, user=request.user, request=request)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("editing:review_correction", pk=correction.pk)
    told = _("La personne en est prévenue par e-mail.") if correction.email else ""
    messages.success(
        request, f"{_('Suggestion retenue : reportez-la dans la fiche ci-dessous.')} {told}".strip()
    )
    # The editor shows the suggestion named in the address beside the fiche (see editing_tags).
    edit_url = reverse("editing:cooperation_edit", args=[correction.cooperation_id])
    return redirect(f"{edit_url}?suggestion={correction.pk}")


@require_POST
@_reviewer(REVIEW_CORRECTION_PERMISSION)
def correction_dismiss(request, pk):
    correction = _correction(pk, request.user)
    form = DismissForm(request.POST)
    if not form.is_valid():
        return _render_correction(request, correction, form)
    try:
        dismiss_correction(
            correction=correction, user=request.user, reason=form.cleaned_data["reason"], request=request
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("editing:review_correction", pk=correction.pk)
    told = _("La personne en est prévenue par e-mail, avec votre raison.") if correction.email else ""
    messages.success(request, f"{_('Suggestion écartée.')} {told}".strip())
    return redirect("editing:review")
