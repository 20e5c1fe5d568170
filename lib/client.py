"""The address a request comes from, as sign-in lockouts (django-axes) and rate limits both see it."""

import ipaddress

from django.conf import settings


def client_address(request):
    """REMOTE_ADDR, or behind PROXY_COUNT trusted proxies (load balancers), the address the outermost of
    them received the request from: the PROXY_COUNT-th from the right of X-Forwarded-For, since each
    proxy appends the address it saw. Addresses further left are whatever the client wrote there."""
    remote = request.META.get("REMOTE_ADDR", "")
    if not settings.PROXY_COUNT:
        return remote
    forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
    forwarded = [part for part in forwarded if part]
    if len(forwarded) < settings.PROXY_COUNT:
        return remote  # not through all the proxies, as on a server's own health check
    address = forwarded[-settings.PROXY_COUNT]
    try:
        return str(ipaddress.ip_address(address))
    except ValueError:
        return remote
