"""What the public sends and what the staff decide about it.

- A proposal becomes a draft fiche, and the staff who can publish are told about it.
- A correction suggested on a published fiche reaches the editors, who accept it (then edit the fiche)
  or dismiss it with a reason; the person is told either way if they left an address.
- Whoever sends either, with an address, receives an acknowledgement at once.

The functions that answer a request take it (`request=`) for the site's address in the e-mails' links
when SITE_URL is not set (lib/urls.py).
"""

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cooperations.models import Cooperation, Level
from cooperations.services import PUBLISH_PERMISSION
from lib.history import one_version
from lib.urls import absolute_url

from .models import Correction, Proposal

REVIEW_PROPOSAL_PERMISSION = "proposals.change_proposal"
# The reason of a proposed fiche's first version, which names no one (the proposal keeps the name).
PROPOSED_ONLINE = gettext_lazy("Proposée en ligne")
REVIEW_CORRECTION_PERMISSION = "proposals.change_correction"


@transaction.atomic
def proposal_submit(
    *,
    title,
    structures,
    department,
    cooperation_forms,
    description,
    contact_name,
    contact_email,
    review_url_for,
    request=None,
) -> Proposal:
    """Create the draft fiche and its proposal; once it is committed, e-mail the publishers, and the
    person an acknowledgement.

    `review_url_for(proposal)` gives the absolute address where the proposal is reviewed, for the e-mail.
    """
    # The level is the staff's call once they have read the proposal; "simple" is the neutral start.
    cooperation = Cooperation(title=title, summary=description, level=Level.SIMPLE)
    # The person's name stays in the proposal, which forgets it in time, not in the fiche's history.
    cooperation._change_reason = str(PROPOSED_ONLINE)
    with one_version(cooperation, history_type="+"):
        cooperation.save()
        cooperation.departments.set([department])
        cooperation.forms.set(cooperation_forms)
    proposal = Proposal.objects.create(
        cooperation=cooperation,
        structures_text=structures,
        contact_name=contact_name,
        contact_email=contact_email,
    )
    review_url = review_url_for(proposal)
    transaction.on_commit(lambda: notify_publishers(proposal, review_url))
    transaction.on_commit(lambda: acknowledge_proposal(proposal, request))
    return proposal


def notify_publishers(proposal, review_url):
    recipients = _staff_emails(PUBLISH_PERMISSION)
    if not recipients:
        return
    context = {"proposal": proposal, "review_url": review_url}
    send_mail(
        subject=_("Nouvelle coopération proposée : %(title)s") % {"title": proposal.cooperation.title},
        message=render_to_string("proposals/notification_email.txt", context),
        from_email=None,
        recipient_list=recipients,
    )


def acknowledge_proposal(proposal, request=None):
    send_mail(
        subject=_("Votre proposition « %(title)s » est bien reçue") % {"title": proposal.cooperation.title},
        message=render_to_string(
            "proposals/proposal_received_email.txt",
            {"proposal": proposal, "privacy_url": absolute_url(reverse("privacy"), request)},
        ),
        from_email=None,
        recipient_list=[proposal.contact_email],
    )


def _staff_emails(permission):
    return sorted(
        get_user_model()
        # Permissions come from groups, which the model backend reads (the other one guards sign-in).
        .objects.with_perm(permission, backend="django.contrib.auth.backends.ModelBackend")
        .exclude(email="")
        .values_list("email", flat=True)
    )


def _mark_reviewed(item, user, status, *, permission, not_allowed, already_reviewed):
    """Set a pending proposal's or suggestion's decision, refusing a person without `permission` and an
    item already decided; the caller saves it."""
    if not user.has_perm(permission):
        raise PermissionDenied(not_allowed)
    if not item.is_pending:
        raise ValidationError(already_reviewed % {"status": item.get_status_display()})
    item.status = status
    item.reviewed_by = user
    item.reviewed_at = timezone.now()


def _review_proposal(proposal, user, status):
    _mark_reviewed(
        proposal,
        user,
        status,
        permission=REVIEW_PROPOSAL_PERMISSION,
        not_allowed=_("Vous n'avez pas le droit d'examiner les propositions."),
        already_reviewed=_("Cette proposition a déjà été examinée (%(status)s)."),
    )


@transaction.atomic
def proposal_accept(*, proposal: Proposal, user) -> Proposal:
    """Take the proposal: its draft fiche is the editor's to complete and publish; the person is told."""
    _review_proposal(proposal, user, Proposal.Status.ACCEPTED)
    proposal.save(update_fields=["status", "reviewed_by", "reviewed_at"])
    transaction.on_commit(lambda: notify_proposer(proposal))
    return proposal


@transaction.atomic
def proposal_decline(*, proposal: Proposal, user, reason: str) -> Proposal:
    """Set the proposal aside, saying why: its draft stays unpublished; the person reads the reason."""
    reason = reason.strip()
    if not reason:
        raise ValidationError(_("Indiquez pourquoi la proposition est écartée : la personne le lira."))
    _review_proposal(proposal, user, Proposal.Status.DECLINED)
    proposal.dismissal_reason = reason
    proposal.save(update_fields=["status", "reviewed_by", "reviewed_at", "dismissal_reason"])
    transaction.on_commit(lambda: notify_proposer(proposal))
    return proposal


def notify_proposer(proposal):
    accepted = proposal.status == Proposal.Status.ACCEPTED
    subject = (
        _("Votre proposition « %(title)s » est retenue")
        if accepted
        else _("Votre proposition « %(title)s » n'a pas été retenue")
    )
    send_mail(
        subject=subject % {"title": proposal.cooperation.title},
        message=render_to_string("proposals/proposal_outcome_email.txt", {"proposal": proposal}),
        from_email=None,
        recipient_list=[proposal.contact_email],
    )


# --- Corrections -------------------------------------------------------------------------------------


@transaction.atomic
def correction_submit(*, cooperation, message, name, email, review_url_for, request=None) -> Correction:
    """Record a suggestion on a published fiche; once it is committed, e-mail the editors, and the
    person an acknowledgement if they left an address.

    `review_url_for(correction)` gives the absolute address where the suggestion is reviewed.
    """
    if not cooperation.is_published:
        raise ValidationError(_("Seule une fiche publiée peut recevoir des suggestions."))
    correction = Correction.objects.create(cooperation=cooperation, message=message, name=name, email=email)
    review_url = review_url_for(correction)
    transaction.on_commit(lambda: notify_editors(correction, review_url))
    transaction.on_commit(lambda: acknowledge_correction(correction, request))
    return correction


def notify_editors(correction, review_url):
    recipients = _staff_emails(REVIEW_CORRECTION_PERMISSION)
    if not recipients:
        return
    send_mail(
        subject=_("Suggestion sur la fiche « %(title)s »") % {"title": correction.cooperation.title},
        message=render_to_string(
            "proposals/correction_notification_email.txt",
            {"correction": correction, "review_url": review_url},
        ),
        from_email=None,
        recipient_list=recipients,
    )


def acknowledge_correction(correction, request=None):
    if not correction.email:
        return
    context = {
        "correction": correction,
        "fiche_url": absolute_url(correction.cooperation.get_absolute_url(), request),
        "privacy_url": absolute_url(reverse("privacy"), request),
    }
    send_mail(
        subject=_("Votre suggestion sur « %(title)s » est bien reçue")
        % {"title": correction.cooperation.title},
        message=render_to_string("proposals/correction_received_email.txt", context),
        from_email=None,
        recipient_list=[correction.email],
    )


def _review(correction, user, status):
    _mark_reviewed(
        correction,
        user,
        status,
        permission=REVIEW_CORRECTION_PERMISSION,
        not_allowed=_("Vous n'avez pas le droit d'examiner les suggestions."),
        already_reviewed=_("Cette suggestion a déjà été examinée (%(status)s)."),
    )


@transaction.atomic
def correction_accept(*, correction: Correction, user, request=None) -> Correction:
    """Take the suggestion: the editor goes on to edit the fiche; the person is told."""
    _review(correction, user, Correction.Status.ACCEPTED)
    correction.save(update_fields=["status", "reviewed_by", "reviewed_at"])
    transaction.on_commit(lambda: notify_submitter(correction, request))
    return correction


@transaction.atomic
def correction_dismiss(*, correction: Correction, user, reason: str, request=None) -> Correction:
    """Set the suggestion aside, saying why; the person is told, with the reason."""
    reason = reason.strip()
    if not reason:
        raise ValidationError(_("Indiquez pourquoi la suggestion est écartée : la personne le lira."))
    _review(correction, user, Correction.Status.DISMISSED)
    correction.dismissal_reason = reason
    correction.save(update_fields=["status", "reviewed_by", "reviewed_at", "dismissal_reason"])
    transaction.on_commit(lambda: notify_submitter(correction, request))
    return correction


def notify_submitter(correction, request=None):
    if not correction.email:
        return
    accepted = correction.status == Correction.Status.ACCEPTED
    subject = (
        _("Votre suggestion sur « %(title)s » est retenue")
        if accepted
        else _("Votre suggestion sur « %(title)s » n'a pas été retenue")
    )
    send_mail(
        subject=subject % {"title": correction.cooperation.title},
        message=render_to_string(
            "proposals/correction_outcome_email.txt",
            {
                "correction": correction,
                "fiche_url": absolute_url(correction.cooperation.get_absolute_url(), request),
            },
        ),
        from_email=None,
        recipient_list=[correction.email],
    )
