"""The measures that keep robots and floods out of the public forms (proposals, password reset...).

- `GuardedForm`: a honeypot field hidden from people, and a signed start time refusing a form sent
  faster than a person could fill it; each start time is accepted once, so that a form page fetched
  once cannot be posted again and again;
- `rate_limited(request, scope)`: at most N sendings per client address and period;
- `over_quota(scope, who, limit, period)`: the same count for anything else (an e-mail recipient).

Both count in the "shared" cache (Redis, or the database), so that every process of every server sees
the same counts; the client address is the one django-axes locks out (lib/client.py).

Settings: ANTISPAM_MIN_FILL_SECONDS, ANTISPAM_RATE_LIMIT, ANTISPAM_RATE_PERIOD.
"""

import hashlib
import time

from django import forms
from django.conf import settings
from django.core import signing
from django.core.cache import caches
from django.utils.translation import gettext_lazy as _

from .client import client_address

STARTED_SALT = "antispam.started"
STARTED_MAX_AGE = 24 * 3600


def shared_cache():
    return caches["shared"]


class GuardedForm(forms.Form):
    """Robots fill every field (the honeypot `website` is hidden from people) and post at once."""

    website = forms.CharField(label=_("Ne pas remplir ce champ"), required=False)
    started = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.initial["started"] = new_start()
        self.fields["website"].widget.attrs.update({"autocomplete": "off", "tabindex": "-1"})

    def clean(self):
        cleaned_data = super().clean()
        # Reported as errors of the whole form: the two fields are not shown to people.
        if cleaned_data.get("website"):
            self.add_error(
                None, forms.ValidationError(_("Le formulaire n'a pas pu être envoyé."), code="honeypot")
            )
        token = cleaned_data.get("started", "")
        try:
            started = signing.loads(token, salt=STARTED_SALT, max_age=STARTED_MAX_AGE)
        except signing.BadSignature:
            self.restart()
            self.add_error(
                None,
                forms.ValidationError(
                    _("Le formulaire a expiré. Vérifiez vos réponses et envoyez-le à nouveau."),
                    code="expired",
                ),
            )
            return cleaned_data
        if time.time() - started < settings.ANTISPAM_MIN_FILL_SECONDS:
            self.add_error(
                None,
                forms.ValidationError(
                    _("Le formulaire a été envoyé trop vite. Vérifiez vos réponses et envoyez-le à nouveau."),
                    code="too_fast",
                ),
            )
        elif not self.errors:
            # Spent only by a sending that is otherwise accepted: a form shown again with an error to
            # correct keeps its start time. Shown again after this (a rate limit), it gets a new one.
            if not shared_cache().add(_used_key(token), True, timeout=STARTED_MAX_AGE):
                self.add_error(
                    None,
                    forms.ValidationError(
                        _("Ce formulaire a déjà été envoyé. Vérifiez vos réponses et envoyez-le à nouveau."),
                        code="reused",
                    ),
                )
            self.restart()
        return cleaned_data

    def restart(self):
        """Show the form again with a new start time, so that sending it once more works."""
        self.data = self.data.copy()
        self.data["started"] = new_start()


def new_start():
    return signing.dumps(time.time(), salt=STARTED_SALT)


def _used_key(token):
    return "antispam:used:" + hashlib.sha256(token.encode()).hexdigest()


def rate_limited(request, scope):
    """Count this sending for the client address; True once over the limit for the period.

    The limit is a number of slots, each taken by one sending and freed a period later: taking one is
    an atomic add (Redis SET NX, or a database insert), so that concurrent sendings never share one.
    """
    return over_quota(
        scope, client_address(request), settings.ANTISPAM_RATE_LIMIT, settings.ANTISPAM_RATE_PERIOD
    )


def over_quota(scope, who, limit, period):
    """Count one more for `who` (hashed, never kept as such); True once over `limit` in `period` seconds."""
    cache = shared_cache()
    who = hashlib.sha256(who.encode()).hexdigest()[:32]
    keys = [f"antispam:{scope}:{who}:{slot}" for slot in range(limit)]
    taken = cache.get_many(keys)
    return not any(cache.add(key, True, timeout=period) for key in keys if key not in taken)
