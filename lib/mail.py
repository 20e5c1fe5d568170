"""E-mails sent because of a request, so that they never fail it.

The request has done its work when its e-mails leave (a proposal is saved, an alert recorded): an
unreachable mail server, or a subject that could not be a header, must not turn that into an error
page. So each e-mail is sent once the transaction commits, a failure is logged with what was being
sent (the person can be written to again from what was saved: the proposal, the alert) and
remembered, and /healthz says the e-mail server is failing until an e-mail leaves again.
"""

import logging
import re
import time

from django.core import mail
from django.core.cache import caches
from django.db import transaction

logger = logging.getLogger(__name__)

FAILED_KEY = "mail:last_failure"
SENT_KEY = "mail:last_success"
SUBJECT_LENGTH = 180
CONTROL = re.compile(r"[\x00-\x1f\x7f\u2028\u2029]+")


def one_line(text, limit=SUBJECT_LENGTH):
    """`text` on one line, as a header needs it: line breaks and control characters become spaces."""
    text = " ".join(CONTROL.sub(" ", str(text)).split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def send_mail(*, subject, message, recipient_list, from_email=None):
    """Django's send_mail, the subject on one line whatever it quotes (a title, a search)."""
    return mail.send_mail(
        subject=one_line(subject), message=message, from_email=from_email, recipient_list=recipient_list
    )


def send_on_commit(send, *, what):
    """Call `send()` once the current transaction commits; a failure is logged, never raised."""
    transaction.on_commit(lambda: deliver(send, what=what))


def deliver(send, *, what):
    """`send()`, True when it went; a failure is logged and remembered for /healthz."""
    try:
        send()
    except Exception:
        logger.exception("E-mail not sent: %s", what)
        _remember(FAILED_KEY)
        return False
    _remember(SENT_KEY)
    return True


def status():
    """The e-mail server's state as the last e-mail saw it: "ok", "failing", or "unknown" when that
    cannot be read."""
    try:
        found = caches["shared"].get_many([FAILED_KEY, SENT_KEY])
    except Exception:  # the database, without Redis: /healthz says it is down
        return "unknown"
    return "failing" if found.get(FAILED_KEY, 0) > found.get(SENT_KEY, 0) else "ok"


def _remember(key):
    try:
        caches["shared"].set(key, time.time(), timeout=None)
    except Exception:  # the shared cache is the database without Redis: never fail for a note
        logger.warning("Could not note the e-mail outcome", exc_info=True)
