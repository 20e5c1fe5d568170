"""The anonymous rate limit of the API, counted per client address in the shared cache."""

from django.conf import settings
from django.core.cache import caches
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
