"""The measures that keep robots and floods out of the public forms (proposals and the like).

- `GuardedForm`: a honeypot field hidden from people, and a signed start time refusing a form sent
  faster than a person could fill it;
- `rate_limited(request, scope)`: at most N sendings per client address and period, counted in the
  default cache.

Settings: ANTISPAM_MIN_FILL_SECONDS, ANTISPAM_RATE_LIMIT, ANTISPAM_RATE_PERIOD.
"""

import time

from django import forms
from django.conf import settings
from django.core import signing
from django.core.cache import cache
from django.utils.translation import gettext_lazy as _

STARTED_SALT = "antispam.started"


class GuardedForm(forms.Form):
    """Robots fill every field (the honeypot `website` is hidden from people) and post at once."""

    website = forms.CharField(label=_("Ne pas remplir ce champ"), required=False)
    started = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # A fresh start time on every display, so that a form shown again after an error can be sent.
        self.initial["started"] = signing.dumps(time.time(), salt=STARTED_SALT)
        self.fields["website"].widget.attrs.update({"autocomplete": "off", "tabindex": "-1"})

    def clean(self):
        cleaned_data = super().clean()
        # Reported as errors of the whole form: the two fields are not shown to people.
        if cleaned_data.get("website"):
            self.add_error(
                None, forms.ValidationError(_("Le formulaire n'a pas pu être envoyé."), code="honeypot")
            )
        try:
            started = signing.loads(cleaned_data.get("started", ""), salt=STARTED_SALT, max_age=24 * 3600)
        except signing.BadSignature:
            # Shown again with a fresh start time, so that sending it once more works.
            self.data = self.data.copy()
            self.data["started"] = signing.dumps(time.time(), salt=STARTED_SALT)
            self.add_error(
                None,
                forms.ValidationError(
                    _("Le formulaire a expiré. Vérifiez vos réponses et envoyez-le à nouveau."),
                    code="expired",
                ),
            )
        else:
            if time.time() - started < settings.ANTISPAM_MIN_FILL_SECONDS:
                self.add_error(
                    None,
                    forms.ValidationError(
                        _(
                            "Le formulaire a été envoyé trop vite. "
                            "Vérifiez vos réponses et envoyez-le à nouveau."
                        ),
                        code="too_fast",
                    ),
                )
        return cleaned_data


def rate_limited(request, scope):
    """Count this sending for the client address; True once over the limit for the period."""
    key = f"antispam:{scope}:{request.META.get('REMOTE_ADDR', '')}"
    period = settings.ANTISPAM_RATE_PERIOD
    cache.add(key, 0, timeout=period)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=period)
        count = 1
    return count > settings.ANTISPAM_RATE_LIMIT
