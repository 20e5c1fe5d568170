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
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.timezone import localtime
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cooperations.merges import stronger
from cooperations.models import Cooperation, Level, Participation, Source
from cooperations.services import PUBLISH_PERMISSION
from lib.history import one_version
from lib.mail import send_mail, send_on_commit
from lib.text import fold
from lib.urls import absolute_url
from structures.models import Structure
from structures.resources import KINDS

from .models import Correction, Proposal

REVIEW_PROPOSAL_PERMISSION = "proposals.change_proposal"
# The reason of a proposed fiche's first version, which names no one (the proposal keeps the name).
PROPOSED_ONLINE = gettext_lazy("Proposée en ligne")
REVIEW_CORRECTION_PERMISSION = "proposals.change_correction"


@transaction.atomic
def proposal_submit(
    *,
    title,
    participants,
    department,
    cooperation_forms,
    description,
    contact_name,
    contact_email,
    review_url_for,
    source_title="",
    source_url="",
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
        participants=participants,
        source_title=source_title,
        source_url=source_url,
        contact_name=contact_name,
        contact_email=contact_email,
    )
    review_url = review_url_for(proposal)
    send_on_commit(
        lambda: notify_publishers(proposal, review_url), what=f"proposal {proposal.pk} to publishers"
    )
    send_on_commit(lambda: acknowledge_proposal(proposal, request), what=f"proposal {proposal.pk} received")
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
    """Take the proposal: its draft fiche gets what the person typed (the structures they named, their
    contact as an internal note, their source) and is the editor's to complete and publish; the person is
    told."""
    _review_proposal(proposal, user, Proposal.Status.ACCEPTED)
    proposal.save(update_fields=["status", "reviewed_by", "reviewed_at"])
    complete_draft(proposal, user)
    send_on_commit(lambda: notify_proposer(proposal), what=f"proposal {proposal.pk} outcome")
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
    send_on_commit(lambda: notify_proposer(proposal), what=f"proposal {proposal.pk} outcome")
    return proposal


def complete_draft(proposal, user):
    """Give the proposal's draft its participants, the proposer's contact and their source."""
    cooperation = Cooperation.objects.get(pk=proposal.cooperation_id)
    reason = _("Proposition de %(name)s retenue") % {"name": proposal.contact_name}
    note = _("Proposée en ligne le %(date)s par %(name)s (%(email)s).") % {
        "date": date_format(localtime(proposal.submitted_at), "j F Y"),
        "name": proposal.contact_name,
        "email": proposal.contact_email,
    }
    cooperation.internal_note = "\n\n".join(part for part in (note, cooperation.internal_note) if part)
    cooperation.updated_by = user
    cooperation._history_user = user
    cooperation._change_reason = reason
    source = _source(proposal)
    with one_version(cooperation):
        cooperation.save()
        if source:
            cooperation.sources.add(source)
    roles = {}
    for row in participant_rows(proposal):
        structure, _created = find_or_create_structure(row["name"], row["kind"], user=user, reason=reason)
        previous = roles.get(structure.pk)
        roles[structure.pk] = stronger(previous, row["role"]) if previous else row["role"]
    existing = set(cooperation.participations.values_list("structure_id", flat=True))
    for structure_id, role in roles.items():
        if structure_id in existing:
            continue
        participation = Participation(cooperation=cooperation, structure_id=structure_id, role=role)
        participation._history_user = user
        participation._change_reason = reason
        participation.save()


def participant_rows(proposal):
    """The structures the person named, as {name, kind, role}; proposals sent as text give their lines,
    the kind read as the import reads it."""
    if proposal.participants:
        return [
            {
                "name": row["name"][:200],
                "kind": row.get("kind") or "",
                "role": row.get("role") or Participation.Role.PARTNER,
            }
            for row in proposal.participants
            if row.get("name")
        ]
    return [
        {
            "name": name[:200],
            "kind": KINDS.find(kind) or "" if kind else "",
            "role": Participation.Role.PARTNER,
        }
        for name, kind in proposal.structure_lines()
    ]


def find_or_create_structure(name, kind, *, user, reason):
    """The structure of that name (and kind, when known), else a new one; (structure, created)."""
    homonyms = list(Structure.objects.filter(search_name=fold(name)).order_by("pk"))
    if kind:
        found = [s for s in homonyms if s.kind == kind]
    else:
        found = homonyms if len(homonyms) == 1 else [s for s in homonyms if s.kind == Structure.Kind.OTHER]
    if found:
        return found[0], False
    structure = Structure(name=name, kind=kind or Structure.Kind.OTHER, updated_by=user)
    structure._history_user = user
    structure._change_reason = reason
    structure.save()
    return structure, True


def proposed_structures(proposal):
    """[(row, the structure it designates now or None)], for the review page: one query."""
    rows = participant_rows(proposal)
    homonyms = {}
    for structure in Structure.objects.filter(search_name__in={fold(row["name"]) for row in rows}).order_by(
        "pk"
    ):
        homonyms.setdefault(structure.search_name, []).append(structure)
    found = []
    for row in rows:
        candidates = homonyms.get(fold(row["name"]), [])
        if row["kind"]:
            candidates = [s for s in candidates if s.kind == row["kind"]]
        elif len(candidates) > 1:
            candidates = [s for s in candidates if s.kind == Structure.Kind.OTHER]
        found.append((row, candidates[0] if candidates else None))
    return found


def _source(proposal):
    """The document the person named, found by its address, else created; None when they named none."""
    title, url = proposal.source_title.strip(), proposal.source_url.strip()
    if not (title or url):
        return None
    if url:
        existing = Source.objects.filter(url=url).first()
        if existing:
            return existing
    return Source.objects.create(title=(title or url)[:300], url=url)


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
    send_on_commit(
        lambda: notify_editors(correction, review_url), what=f"correction {correction.pk} to editors"
    )
    send_on_commit(
        lambda: acknowledge_correction(correction, request), what=f"correction {correction.pk} received"
    )
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
    send_on_commit(lambda: notify_submitter(correction, request), what=f"correction {correction.pk} outcome")
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
    send_on_commit(lambda: notify_submitter(correction, request), what=f"correction {correction.pk} outcome")
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
