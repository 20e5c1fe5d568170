"""E-mail alerts: a person follows a search of the list or a fiche, without an account.

Only what the alert needs is kept: the address, what is followed, how often, a secret token for the
links of the e-mails, and three dates. A request that is not confirmed within a few days is deleted.
"""

import datetime
import secrets
from functools import cached_property

from django.db import models
from django.db.models import Q
from django.http import QueryDict
from django.urls import reverse
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext_lazy as _

from cooperations.filters import CooperationFilter
from cooperations.models import Cooperation

MANAGE_SALT = "alerts.manage"
# A daily alert sent at 7:00:05 is due again at the next day's 7:00 run, whatever the run's jitter.
SLACK = datetime.timedelta(hours=1)


def new_token():
    return secrets.token_urlsafe(32)


def manage_key(email):
    """The secret part of the page where a person sees and deletes all their alerts: a keyed hash of
    their address, so that the address itself never appears in a link (nor in the servers' logs)."""
    return salted_hmac(MANAGE_SALT, email, algorithm="sha256").hexdigest()


class SubscriptionQuerySet(models.QuerySet):
    def confirmed(self):
        return self.filter(confirmed_at__isnull=False)

    def due(self, now):
        """Confirmed alerts whose period has passed since their last e-mail, or that never had one."""
        periods = Q(last_sent_at__isnull=True)
        for frequency, period in Subscription.PERIODS.items():
            periods |= Q(frequency=frequency, last_sent_at__lte=now - period + SLACK)
        return self.confirmed().filter(periods)

    def stale_requests(self, now):
        """Requests never confirmed, past the time their confirmation link is valid."""
        return self.filter(confirmed_at__isnull=True, created_at__lt=now - Subscription.CONFIRMATION_DELAY)


class Subscription(models.Model):
    class Frequency(models.TextChoices):
        WEEKLY = "weekly", _("Une fois par semaine au plus")
        DAILY = "daily", _("Une fois par jour au plus")

    PERIODS = {Frequency.WEEKLY: datetime.timedelta(days=7), Frequency.DAILY: datetime.timedelta(days=1)}
    CONFIRMATION_DELAY = datetime.timedelta(days=7)
    RESEND_DELAY = datetime.timedelta(hours=1)

    email = models.EmailField(_("adresse e-mail"), db_index=True)
    query = models.CharField(
        _("recherche suivie"),
        max_length=1000,
        blank=True,
        help_text=_("Les filtres de la liste des coopérations, comme dans son adresse ; vide : toutes."),
    )
    cooperation = models.ForeignKey(
        Cooperation,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="subscriptions",
        verbose_name=_("fiche suivie"),
    )
    frequency = models.CharField(
        _("fréquence"), max_length=6, choices=Frequency.choices, default=Frequency.WEEKLY
    )
    token = models.CharField(max_length=64, unique=True, default=new_token, editable=False)
    # manage_key(email): the alerts of one address, found from the link of any of its e-mails.
    address_key = models.CharField(max_length=64, db_index=True, editable=False)
    created_at = models.DateTimeField(_("demandée le"), auto_now_add=True)
    confirmed_at = models.DateTimeField(_("confirmée le"), null=True, blank=True)
    last_sent_at = models.DateTimeField(_("dernier envoi le"), null=True, blank=True)
    # The last confirmation or reminder e-mailed on request: asking again sends none before RESEND_DELAY.
    requested_mail_at = models.DateTimeField(_("dernier e-mail de confirmation le"), null=True, blank=True)

    objects = SubscriptionQuerySet.as_manager()

    class Meta:
        ordering = ["email", "created_at"]
        verbose_name = _("alerte")
        verbose_name_plural = _("alertes")
        constraints = [
            models.CheckConstraint(
                condition=Q(cooperation__isnull=True) | Q(query=""), name="subscription_search_or_fiche"
            ),
            models.UniqueConstraint(
                fields=["email", "cooperation"],
                condition=Q(cooperation__isnull=False),
                name="subscription_unique_fiche",
            ),
            models.UniqueConstraint(
                fields=["email", "query"],
                condition=Q(cooperation__isnull=True),
                name="subscription_unique_search",
            ),
        ]

    def __str__(self):
        return f"{self.email} : {self.description}"

    def save(self, *args, **kwargs):
        self.address_key = manage_key(self.email)
        super().save(*args, **kwargs)

    @property
    def is_confirmed(self):
        return self.confirmed_at is not None

    @cached_property
    def description(self):
        """What is followed, in words: « la fiche « … » », « la recherche « Région : … » »."""
        if self.cooperation_id:
            return _("la fiche « %(title)s »") % {"title": self.cooperation.title}
        chips = [chip.label for chip in self.filterset().chips()]
        if not chips:
            return _("toutes les coopérations publiées")
        return _("la recherche « %(filters)s »") % {"filters": " · ".join(chips)}

    def filterset(self):
        return CooperationFilter(QueryDict(self.query), queryset=Cooperation.objects.published())

    def matching(self):
        """The published fiches this alert follows."""
        if self.cooperation_id:
            return Cooperation.objects.published().filter(pk=self.cooperation_id)
        return self.filterset().qs

    def followed_url(self):
        """The page of what is followed: the fiche, or the list with the same filters."""
        if self.cooperation_id:
            return self.cooperation.get_absolute_url()
        return reverse("cooperations:list") + (f"?{self.query}" if self.query else "")
