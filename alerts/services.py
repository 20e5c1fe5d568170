"""Following a search or a fiche: the double opt-in, the digests and leaving.

Every e-mail carries a one-click unsubscribe link (also in its List-Unsubscribe header, for the mail
programs that offer the button) and the link to the page listing all the person's alerts.
"""

import logging
from dataclasses import dataclass

from django.core.mail import EmailMessage
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from lib.urls import absolute_url

from .models import Subscription, manage_key

logger = logging.getLogger(__name__)

# Requests not yet confirmed for one address: more are refused, so that nobody can flood a mailbox.
MAX_PENDING_PER_ADDRESS = 5
# A digest lists this many fiches and links to the rest.
DIGEST_SIZE = 20


def normalize_email(email):
    return email.strip().lower()


def links(subscription):
    return {
        "unsubscribe_url": absolute_url(reverse("alerts:unsubscribe", args=[subscription.token])),
        "manage_url": absolute_url(reverse("alerts:manage", args=[manage_key(subscription.email)])),
        "followed_url": absolute_url(subscription.followed_url()),
    }


def _send(subscription, subject, template, context):
    context = {"subscription": subscription, **links(subscription), **context}
    message = EmailMessage(
        subject=subject,
        body=render_to_string(template, context),
        to=[subscription.email],
        headers={
            # RFC 2369 and RFC 8058: the mail program's own « unsubscribe » button, one click.
            "List-Unsubscribe": f"<{context['unsubscribe_url']}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        },
    )
    message.send()


@transaction.atomic
def subscription_request(*, email, frequency, query="", cooperation=None):
    """Ask the person to confirm an alert by e-mail; returns the subscription, None when refused.

    Asking again for an alert that exists sends its confirmation again, or, once confirmed, a reminder
    with the link to manage it; the page shown is the same whatever the case, so that nobody learns
    what another address follows.
    """
    email = normalize_email(email)
    target = {"cooperation": cooperation} if cooperation else {"cooperation": None, "query": query}
    subscription = Subscription.objects.select_for_update().filter(email=email, **target).first()
    if subscription is None:
        pending = Subscription.objects.filter(email=email, confirmed_at__isnull=True).count()
        if pending >= MAX_PENDING_PER_ADDRESS:
            logger.warning("alert request refused: %s requests pending for one address", pending)
            return None
        try:
            with transaction.atomic():
                subscription = Subscription.objects.create(email=email, frequency=frequency, **target)
        except IntegrityError:  # the same request, sent twice at once
            subscription = Subscription.objects.get(email=email, **target)
    elif not subscription.is_confirmed and subscription.frequency != frequency:
        subscription.frequency = frequency
        subscription.save(update_fields=["frequency"])
    if subscription.is_confirmed:
        subject = _("Vous suivez déjà : %(what)s") % {"what": subscription.description()}
        template = "alerts/emails/already.txt"
    else:
        subject = _("Confirmez votre alerte : %(what)s") % {"what": subscription.description()}
        template = "alerts/emails/confirmation.txt"
    confirm_url = absolute_url(reverse("alerts:confirm", args=[subscription.token]))
    transaction.on_commit(lambda: _send(subscription, subject, template, {"confirm_url": confirm_url}))
    return subscription


def subscription_confirm(*, subscription):
    if not subscription.is_confirmed:
        subscription.confirmed_at = timezone.now()
        subscription.save(update_fields=["confirmed_at"])
    return subscription


# --- Digests ----------------------------------------------------------------------------------------


@dataclass
class Digest:
    subscription: Subscription
    fiches: list
    total: int


@dataclass
class SendReport:
    sent: int = 0
    fiches: int = 0
    nothing_new: int = 0
    failed: int = 0
    purged: int = 0

    def summary(self):
        return (
            f"{self.sent} alerte(s) envoyée(s) ({self.fiches} fiche(s)), {self.nothing_new} sans nouveauté, "
            f"{self.failed} en échec, {self.purged} demande(s) non confirmée(s) supprimée(s)."
        )


def digest_for(subscription, now):
    """The published fiches new or changed since the last e-mail (or the confirmation), up to `now`."""
    since = subscription.last_sent_at or subscription.confirmed_at
    changed = subscription.matching().filter(updated_at__gt=since, updated_at__lte=now)
    total = changed.count()
    fiches = list(changed.order_by("-published_at", "pk").for_cards()[:DIGEST_SIZE]) if total else []
    for fiche in fiches:
        fiche.is_new = fiche.published_at > since
    return Digest(subscription, fiches, total)


def send_digest(digest, now):
    subscription = digest.subscription
    if subscription.cooperation_id:
        subject = _("La fiche « %(title)s » a été modifiée") % {"title": subscription.cooperation.title}
    else:
        subject = ngettext(
            "%(count)d fiche nouvelle ou modifiée pour %(what)s",
            "%(count)d fiches nouvelles ou modifiées pour %(what)s",
            digest.total,
        ) % {"count": digest.total, "what": subscription.description()}
    fiches = [(fiche, absolute_url(fiche.get_absolute_url())) for fiche in digest.fiches]
    context = {"fiches": fiches, "total": digest.total, "more": digest.total - len(fiches)}
    # Marked first: if sending fails, the caller's transaction takes the mark back for the next run.
    subscription.last_sent_at = now
    subscription.save(update_fields=["last_sent_at"])
    _send(subscription, subject, "alerts/emails/digest.txt", context)


def send_due_digests(*, now=None, dry_run=False, progress=None):
    """E-mail every due alert that has something new; running it twice sends nothing twice.

    Each alert is sent and marked in its own transaction, its row locked (skipped by a run going on at
    the same time, on PostgreSQL): an error on one leaves the others sent.
    """
    now = now or timezone.now()
    report = SendReport()
    stale = Subscription.objects.stale_requests(now)
    report.purged = stale.count() if dry_run else stale.delete()[0]
    due = list(Subscription.objects.due(now).order_by("pk").values_list("pk", flat=True))
    for done, pk in enumerate(due, start=1):
        try:
            with transaction.atomic():
                subscription = (
                    Subscription.objects.due(now)
                    .select_for_update(skip_locked=True, of=("self",))
                    .select_related("cooperation")
                    .filter(pk=pk)
                    .first()
                )
                if subscription is None:
                    continue  # sent by another run meanwhile, or deleted
                digest = digest_for(subscription, now)
                if not digest.total:
                    report.nothing_new += 1
                    continue
                if not dry_run:
                    send_digest(digest, now)
                report.sent += 1
                report.fiches += digest.total
        except Exception:
            logger.exception("alert %s could not be sent", pk)
            report.failed += 1
        if progress:
            progress(done, len(due))
    return report
