"""How long personal data is kept, enforced: each kind of record past its time is deleted, or has the
person's details blanked.

`manage.py erase_personal_data` applies every entry of RETENTION (README, cron); the « Données
personnelles » page states the same durations. A new kind of record is one more entry.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from axes.models import AccessAttempt, AccessLog
from django.contrib.sessions.models import Session
from django.db.models import QuerySet

from alerts.models import Subscription
from cooperations.models import SearchRecord
from cooperations.models.search_record import SEARCH_RECORD_MONTHS
from lib.dates import months_before
from proposals.models import CONTACT_KEPT_MONTHS, Correction, Proposal

# The team's sign-ins (account, address, browser), kept to trace an intrusion.
SIGN_IN_LOG_MONTHS = 12


@dataclass(frozen=True)
class Retention:
    label: str  # what is deleted or erased, as the command's report names it
    expired: Callable[[datetime], QuerySet]  # the records past their time at `now`
    erase: dict | None = None  # the fields blanked; None deletes the records

    def apply(self, now, *, dry_run=False):
        """How many records are (or, dry, would be) deleted or erased."""
        records = self.expired(now)
        if dry_run:
            return records.count()
        if self.erase is None:
            return records.delete()[0]
        return records.update(**self.erase)


RETENTION = [
    Retention(
        f"demandes d'alerte non confirmées ({Subscription.CONFIRMATION_DELAY.days} jours)",
        lambda now: Subscription.objects.stale_requests(now),
    ),
    Retention(
        f"noms et adresses des propositions examinées ({CONTACT_KEPT_MONTHS} mois)",
        lambda now: Proposal.objects.contact_to_erase(now),
        erase={"contact_name": "", "contact_email": ""},
    ),
    Retention(
        f"noms et adresses des suggestions examinées ({CONTACT_KEPT_MONTHS} mois)",
        lambda now: Correction.objects.contact_to_erase(now),
        erase={"name": "", "email": ""},
    ),
    Retention(
        f"connexions de l'équipe ({SIGN_IN_LOG_MONTHS} mois)",
        lambda now: AccessLog.objects.filter(attempt_time__lt=months_before(now, SIGN_IN_LOG_MONTHS)),
    ),
    Retention(
        f"recherches faites dans la liste ({SEARCH_RECORD_MONTHS} mois)",
        lambda now: SearchRecord.objects.filter(
            searched_on__lt=months_before(now, SEARCH_RECORD_MONTHS).date()
        ),
    ),
    Retention(
        "tentatives de connexion échouées (1 jour)",
        lambda now: AccessAttempt.objects.filter(attempt_time__lt=now - timedelta(days=1)),
    ),
    Retention(
        "sessions expirées",
        lambda now: Session.objects.filter(expire_date__lt=now),
    ),
]
