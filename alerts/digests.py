"""The digests: each due alert gets the published fiches new or changed since its last e-mail.

Many people follow the same searches (a region, every fiche): each search is run once per sending,
for the ids and dates of its fiches, and each fiche shown is read once, whatever the number of alerts.
"""

import logging
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Max, Q
from django.db.models.functions import Coalesce, Greatest
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from cooperations.models import Cooperation
from lib.urls import absolute_url

from .models import Subscription
from .services import send_alert_email

logger = logging.getLogger(__name__)

# A digest lists this many fiches and links to the rest.
DIGEST_SIZE = 20


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


class Matches:
    """What each followed search or fiche matches up to `now`, read once for all the alerts of a run."""

    def __init__(self, now):
        self.now = now
        self.rows = {}  # (fiche followed, search followed): [(id, published_at, updated_at)], newest first
        self.cards = {}  # id: the fiche, with what its line of a digest shows

    def digest(self, subscription):
        """The published fiches new or changed since the last e-mail (or the confirmation).

        A followed fiche has changed when anything its page shows has: the fiche itself, or one of its
        participants (their contact details, which the structure's own page edits). A search's digest
        counts the fiches' own changes only: one structure taking part in many fiches would list them all.
        """
        since = subscription.last_sent_at or subscription.confirmed_at
        key = (subscription.cooperation_id, subscription.query)
        if key not in self.rows:
            matching = (
                subscription.matching().filter(updated_at__lte=self.now).order_by("-published_at", "pk")
            )
            changed_at = "updated_at"
            if subscription.cooperation_id:
                matching = matching.annotate(changed_at=_shown_changed_at(self.now))
                changed_at = "changed_at"
            self.rows[key] = list(matching.values_list("pk", "published_at", changed_at))
        changed = [
            (pk, published_at) for pk, published_at, updated_at in self.rows[key] if updated_at > since
        ]
        shown = changed[:DIGEST_SIZE]
        missing = [pk for pk, _published_at in shown if pk not in self.cards]
        if missing:
            self.cards.update(
                (fiche.pk, fiche) for fiche in Cooperation.objects.filter(pk__in=missing).for_cards()
            )
        fiches = [(self.cards[pk], published_at > since) for pk, published_at in shown]
        return Digest(subscription, fiches, len(changed))


def _shown_changed_at(now):
    """The latest change to what a fiche's page shows: the fiche, or a participating structure (up to
    `now`, like the fiche's own date)."""
    structures = Max(
        "participations__structure__updated_at",
        filter=Q(participations__structure__updated_at__lte=now),
    )
    return Greatest("updated_at", Coalesce(structures, "updated_at"))


def send_digest(digest, now):
    subscription = digest.subscription
    if subscription.cooperation_id:
        subject = _("La fiche « %(title)s » a été modifiée") % {"title": subscription.cooperation.title}
    else:
        subject = ngettext(
            "%(count)d fiche nouvelle ou modifiée pour %(what)s",
            "%(count)d fiches nouvelles ou modifiées pour %(what)s",
            digest.total,
        ) % {"count": digest.total, "what": subscription.description}
    fiches = [(fiche, is_new, absolute_url(fiche.get_absolute_url())) for fiche, is_new in digest.fiches]
    context = {"fiches": fiches, "total": digest.total, "more": digest.total - len(fiches)}
    # Marked first: if sending fails, the caller's transaction takes the mark back for the next run.
    subscription.last_sent_at = now
    subscription.save(update_fields=["last_sent_at"])
    send_alert_email(subscription, subject, "alerts/emails/digest.txt", context)


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
    matches = Matches(now)
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
                digest = matches.digest(subscription)
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
