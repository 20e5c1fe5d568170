"""A public proposal becomes a draft fiche, and the staff who can publish are told about it."""

from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.utils.translation import gettext as _

from cooperations.models import Cooperation, Level
from cooperations.services import PUBLISH_PERMISSION
from lib.history import one_version

from .models import Proposal


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
) -> Proposal:
    """Create the draft fiche and its proposal; e-mail the publishers once it is committed.

    `review_url_for(proposal)` gives the absolute address of the proposal in the admin, for the e-mail.
    """
    # The level is the staff's call once they have read the proposal; "simple" is the neutral start.
    cooperation = Cooperation(title=title, summary=description, level=Level.SIMPLE)
    cooperation._change_reason = _("Proposée en ligne par %(name)s") % {"name": contact_name}
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
    return proposal


def notify_publishers(proposal, review_url):
    recipients = sorted(
        get_user_model()
        # Permissions come from groups, which the model backend reads (the other one guards sign-in).
        .objects.with_perm(PUBLISH_PERMISSION, backend="django.contrib.auth.backends.ModelBackend")
        .exclude(email="")
        .values_list("email", flat=True)
    )
    if not recipients:
        return
    context = {"proposal": proposal, "review_url": review_url}
    send_mail(
        subject=_("Nouvelle coopération proposée : %(title)s") % {"title": proposal.cooperation.title},
        message=render_to_string("proposals/notification_email.txt", context),
        from_email=None,
        recipient_list=recipients,
    )
