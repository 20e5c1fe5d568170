"""Whole pages for anonymous visitors, kept in Django's cache until the directory changes.

The list, search, fiche and other public pages are the same for every visitor who is not signed in,
and the same until someone saves a fiche, a structure or a reference table, or imports: the change
replaces the directory's generation (lib.cache), and the pages are cached under it. A page is kept
for PAGE_CACHE_SECONDS at most (0 turns the cache off), under its full address and the htmx headers
by which the list sends its results alone.

A middleware rather than a decorator on each view: one place decides, for every page and every page
added later, from what the request and the response say (signed in, a session, a form token, a
cookie set, a download, `Cache-Control: private`), which no view has to remember.
"""

import hashlib

from django.conf import settings
from django.contrib.messages import get_messages
from django.core.cache import cache
from django.utils.cache import get_max_age

from .cache import generation

# The request headers by which a page may differ for anonymous visitors: htmx asks for the list's
# results alone, or for the whole page when it restores the history.
VARYING_HEADERS = ("HTTP_HX_REQUEST", "HTTP_HX_HISTORY_RESTORE_REQUEST")
PRIVATE_DIRECTIVES = ("private", "no-store", "no-cache")


class PageCacheMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        seconds = settings.PAGE_CACHE_SECONDS
        if not seconds or not _may_be_cached(request):
            return self.get_response(request)
        key = _key(request)
        response = cache.get(key)
        if response is not None:
            return response
        response = self.get_response(request)
        if _is_public(request, response):
            cache.set(key, response, seconds)
        return response


def _may_be_cached(request):
    """A GET by someone with no session (so not signed in) and no message waiting."""
    if request.method != "GET":
        return False
    cookies = request.COOKIES
    return settings.SESSION_COOKIE_NAME not in cookies and "messages" not in cookies


def _key(request):
    parts = [request.build_absolute_uri(), *(request.META.get(header, "") for header in VARYING_HEADERS)]
    digest = hashlib.sha256("\n".join(parts).encode()).hexdigest()
    return f"page:{generation()}:{digest}"


def _is_public(request, response):
    """A complete page that says nothing of this visitor: no form token, cookie, message or session
    written, not a download, not marked private."""
    if response.status_code != 200 or response.streaming or response.cookies:
        return False
    if response.has_header("Content-Disposition"):
        return False
    cache_control = response.get("Cache-Control", "")
    if any(directive in cache_control for directive in PRIVATE_DIRECTIVES) or get_max_age(response) == 0:
        return False
    if request.META.get("CSRF_COOKIE_NEEDS_UPDATE"):  # the page holds a form token
        return False
    session = getattr(request, "session", None)
    if session is not None and session.modified:
        return False
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        return False
    return not len(get_messages(request))
