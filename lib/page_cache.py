"""Whole pages for anonymous visitors, kept in Django's cache until the directory changes.

The list, search, fiche and other public pages are the same for every visitor who is not signed in,
and the same until something they show changes. A page is cached under the generations of the tags its
view declares (`keyed_by(tags=…)`, cooperations/dependencies.py: `region:76`, `fiche:<slug>`…), which a
change replaces when it can alter what they tag (lib.cache.tags_changed); a view that declares none is
forgotten by any fiche's change, and every page by a change to the reference data or one not worked
out (an import, a structure). A page is kept for PAGE_CACHE_SECONDS at most (0 turns the cache off).

What a page is keyed by, and nothing else:
- its path, and the htmx headers by which the list sends its results alone;
- the query parameters its view declares with `@keyed_by(...)` (names, or a FilterSet's filters), in
  a fixed order, without the empty ones. The request the view sees holds those parameters only, so the
  page computed is the page of its key (`?utm_source=…` is dropped, not echoed into its links). A view
  that declares nothing is cached only when its address has no query string.
The pages kept are bounded in bytes (lib/cache_budget.py, pool "pages"), and a cache that fails is a
miss (lib/redis_cache.py): the page is computed.

A middleware rather than a decorator on each view: one place decides, for every page and every page
added later, from what the request and the response say (signed in, a session, a form token, a
cookie set, a download, `Cache-Control: private`), which no view has to remember.
"""

import hashlib
import pickle

from django.conf import settings
from django.contrib.messages import get_messages
from django.core.cache import cache
from django.http import QueryDict
from django.urls import Resolver404, resolve
from django.utils.cache import get_conditional_response, get_max_age

from . import cache_budget
from .cache import EVERY_CHANGE_TAG, _prefix, tag_generations

# The request headers by which a page may differ for anonymous visitors: htmx asks for the list's
# results alone, or for the whole page when it restores the history.
VARYING_HEADERS = ("HTTP_HX_REQUEST", "HTTP_HX_HISTORY_RESTORE_REQUEST")
PRIVATE_DIRECTIVES = ("private", "no-store", "no-cache")
PARAMETERS = "page_cache_parameters"
TAGS = "page_cache_tags"
NEVER = "page_cache_never"
# A longer query string, or more values, is no visitor's: such a page is computed, not kept.
MAX_QUERY_LENGTH = 2000
MAX_VALUES = 40


def keyed_by(*sources, tags=None):
    """Declare the query parameters a view reads: names, or FilterSet classes (all their filters);
    and, with `tags(query, **url kwargs)`, the tags of what the page shows (lib/cache.py): the page is
    forgotten when one of them is replaced. A view that declares no tags is forgotten by any change."""
    names = set()
    for source in sources:
        names.update(getattr(source, "base_filters", None) or [source])

    def decorator(view):
        setattr(view, PARAMETERS, frozenset(names))
        setattr(view, TAGS, tags)
        return view

    return decorator


def never(view):
    """A view (or a class-based view, a DRF viewset) whose answers are never kept: the API, whose rate
    limit and conditional answers run in the view."""
    setattr(view, NEVER, True)
    return view


class PageCacheMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        seconds = settings.PAGE_CACHE_SECONDS
        if not seconds or not _may_be_cached(request):
            return self.get_response(request)
        declared = _declared_query(request)
        if declared is None:
            return self.get_response(request)
        query, tags = declared
        request.GET = query
        request.META["QUERY_STRING"] = query.urlencode()
        key = _key(request, tags)
        cached = cache.get(key)
        if isinstance(cached, bytes):
            response = pickle.loads(cached)  # noqa: S301 - written by this module only
            response.from_page_cache = True  # counted by manage.py bench_invalidation
            return get_conditional_response(request, etag=response.get("ETag"), response=response)
        response = self.get_response(request)
        if _is_public(request, response):
            blob = pickle.dumps(response, pickle.HIGHEST_PROTOCOL)
            if cache_budget.reserve("pages", len(blob) + len(key) + cache_budget.ENTRY_OVERHEAD, seconds):
                cache.set(key, blob, seconds)
        return response


def _may_be_cached(request):
    """A GET by someone with no session (so not signed in) and no message waiting."""
    if request.method != "GET":
        return False
    cookies = request.COOKIES
    return settings.SESSION_COOKIE_NAME not in cookies and "messages" not in cookies


def _declared_query(request):
    """(the query the page is keyed by, as a QueryDict; the tags of what it shows); None when the page
    is not to be kept."""
    raw = request.META.get("QUERY_STRING", "")
    if len(raw) > MAX_QUERY_LENGTH:
        return None
    try:
        match = resolve(request.path_info, getattr(request, "urlconf", None))
    except Resolver404:
        return None
    view = match.func
    owners = [view, getattr(view, "cls", None), getattr(view, "view_class", None)]
    if any(getattr(owner, NEVER, False) for owner in owners if owner is not None):
        return None
    names = getattr(view, PARAMETERS, None)
    tags_of = getattr(view, TAGS, None)
    if names is None:
        return (QueryDict(), _tags(tags_of, QueryDict(), match)) if not raw else None
    given = request.GET
    if sum(len(values) for values in given.lists()) > MAX_VALUES:
        return None
    query = QueryDict(mutable=True)
    for name in sorted(names & given.keys()):
        values = given.getlist(name)
        if any(value.strip() for value in values):
            query.setlist(name, values)
    query._mutable = False
    return query, _tags(tags_of, query, match)


def _tags(tags_of, query, match):
    """The view's tags for this query, or the one every fiche's change replaces."""
    return [EVERY_CHANGE_TAG] if tags_of is None else list(tags_of(query, **match.kwargs))


def _key(request, tags):
    parts = [
        request.scheme,
        request.get_host(),
        request.path,
        request.META["QUERY_STRING"],
        *(request.META.get(header, "") for header in VARYING_HEADERS),
    ]
    digest = hashlib.sha256("\n".join(parts).encode()).hexdigest()
    return f"page:{_prefix()}:{tag_generations(tags)}:{digest}"


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
