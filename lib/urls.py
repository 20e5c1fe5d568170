"""Absolute addresses of the site's pages, for what is sent outside a request (e-mails of a command)."""

from django.conf import settings


def absolute_url(path):
    """The page at `path` ("/cooperations/…") on the site's public address (SITE_URL)."""
    return f"{settings.SITE_URL}{path}"
