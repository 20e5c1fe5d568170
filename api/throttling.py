"""The anonymous rate limit of the API, counted per client address in the shared cache."""

from django.conf import settings
from django.core.cache import caches
from django.utils.translation import gettext_lazy as _
from rest_framework.throttling import AnonRateThrottle

from lib.client import client_address


class AnonymousRateThrottle(AnonRateThrottle):
    """DRF's anonymous limit, with the site's rules: the rate read from settings.API_ANON_RATE when
    asked (not at import, so that it can change in tests and the benchmark), the client address as
    sign-in lockouts and the public forms see it (lib/client.py), counted where every server counts."""

    @property
    def cache(self):
        return caches["shared"]

    def get_rate(self):
        return settings.API_ANON_RATE

    def get_ident(self, request):
        return client_address(request)


PERIODS = {"s": _("par seconde"), "m": _("par minute"), "h": _("par heure"), "d": _("par jour")}


def rate_limit():
    """The API's anonymous rate, {"count": 120, "period": "par minute"}, or None without a limit."""
    if not settings.API_ANON_RATE:
        return None
    count, period = settings.API_ANON_RATE.split("/")
    return {"count": int(count), "period": PERIODS[period[0]]}
