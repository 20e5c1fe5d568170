"""Following a search or a fiche: the double opt-in, and the e-mails' common parts (digests.py sends
the digests).

Every e-mail carries a one-click unsubscribe link (also in its List-Unsubscribe header, for the mail
programs that offer the button) and the link to the page listing all the person's alerts.
"""

import logging

from django.core.mail import EmailMessage
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from lib.antispam import over_quota
from lib.mail import one_line, send_on_commit
from lib.urls import absolute_url

from .models import Subscription, manage_key

logger = logging.getLogger(__name__)

# Requests not yet confirmed for one address: more are refused, so that nobody can flood a mailbox.
MAX_PENDING_PER_ADDRESS = 5
# And at most this many confirmations and reminders a day to one address, whoever asks, from wherever;
# one alert's is sent again only after Subscription.RESEND_DELAY.
MAX_REQUESTED_MAILS_PER_DAY = 5
DAY = 24 * 3600


def normalize_email(email):
    return email.strip().lower()


def links(subscription, request=None):
    return {
        "unsubscribe_url": absolute_url(reverse("alerts:unsubscribe", args=[subscription.token]), request),
        "manage_url": absolute_url(reverse("alerts:manage", args=[manage_key(subscription.email)]), request),
        "followed_url": absolute_url(subscription.followed_url(), request),
    }


def send_alert_email(subscription, subject, template, context, request=None):
    """`request`, when the e-mail answers one, gives the site's address if SITE_URL does not."""
    context = {"subscription": subscription, **links(subscription, request), **context}
    message = EmailMessage(
        subject=one_line(subject),
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
def subscription_request(*, email, frequency, query="", cooperation=None, request=None):
    """Ask the person to confirm an alert by e-mail; returns the subscription, None when refused.

    Asking again for an alert that exists sends its confirmation again, or, once confirmed, a reminder
    with the link to manage it; the page shown is the same whatever the case, so that nobody learns
    what another address follows. Nobody can flood a mailbox with them: one e-mail per alert per
    RESEND_DELAY, MAX_REQUESTED_MAILS_PER_DAY per address, the others silently left out.
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
    if not _may_mail(subscription):
        return subscription
    if subscription.is_confirmed:
        subject = _("Vous suivez déjà : %(what)s") % {"what": subscription.description}
        template = "alerts/emails/already.txt"
    else:
        subject = _("Confirmez votre alerte : %(what)s") % {"what": subscription.description}
        template = "alerts/emails/confirmation.txt"
    confirm_url = absolute_url(reverse("alerts:confirm", args=[subscription.token]), request)
    send_on_commit(
        lambda: send_alert_email(subscription, subject, template, {"confirm_url": confirm_url}, request),
        what=f"alert {subscription.pk} confirmation",
    )
    return subscription


def _may_mail(subscription):
    """Whether this request may e-mail the alert's address now; if so, counted."""
    now = timezone.now()
    last = subscription.requested_mail_at
    if last and now - last < Subscription.RESEND_DELAY:
        logger.info("alert %s: confirmation asked again within the resend delay", subscription.pk)
        return False
    if over_quota("alert-mails", subscription.email, MAX_REQUESTED_MAILS_PER_DAY, DAY):
        logger.warning("alert %s: daily e-mail quota of its address reached", subscription.pk)
        return False
    subscription.requested_mail_at = now
    subscription.save(update_fields=["requested_mail_at"])
    return True


def subscription_confirm(*, subscription):
    if not subscription.is_confirmed:
        subscription.confirmed_at = timezone.now()
        subscription.save(update_fields=["confirmed_at"])
    return subscription
