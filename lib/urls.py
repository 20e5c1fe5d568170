"""Absolute addresses of the site's pages, for what leaves the site: e-mails, exported files, feeds.

The site's address is SITE_URL when it is set; otherwise the address the request came to (its host was
checked against ALLOWED_HOSTS), so that a site served on another port or name links to itself. What runs
without a request (a command sending alerts, the open-data export) falls back on the local address, which
the check below reports in production.
"""

from django.conf import settings
from django.core.checks import Warning

LOCAL_SITE_URL = "http://127.0.0.1:8000"


def site_url(request=None):
    """The site's address, without a final slash."""
    if settings.SITE_URL:
        return settings.SITE_URL
    if request is not None:
        return request.build_absolute_uri("/").rstrip("/")
    return LOCAL_SITE_URL


def absolute_url(path, request=None):
    """The page at `path` ("/cooperations/…") on the site's address."""
    return f"{site_url(request)}{path}"


def check_site_url(app_configs=None, **kwargs):
    """A system check: in production, commands need SITE_URL to give the site's address."""
    if settings.DEBUG or settings.SITE_URL:
        return []
    return [
        Warning(
            "SITE_URL n'est pas défini : les e-mails des alertes (send_alerts) et les fichiers des données "
            f"ouvertes (export_open_data) donneront des liens vers {LOCAL_SITE_URL}.",
            hint="Définissez SITE_URL, l'adresse publique du site (par exemple https://cooperations.example).",
            id="site.W001",
        )
    ]
