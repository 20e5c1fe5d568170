"""Counts over the whole directory, kept in Django's cache until the directory changes.

The home page and the unfiltered list count every published fiche by region, department, form,
sector, level and kind of structure: tens of milliseconds on ten thousand fiches, and the same answer
until someone saves. They are cached under a generation number that every change to a fiche, its
links, a structure or a reference table replaces (see cooperations/signals.py; bulk imports call
`directory_changed()` themselves). Entries also expire after TIMEOUT seconds, so that servers with a
cache of their own each (no REDIS_URL) are never stale for long.

Every key starts with the release (settings.RELEASE, read once at start-up): after a deployment, the new
code reads nothing the old one wrote (a card rendered by an older template, a value of another shape),
and the generation, under which the whole pages are kept too (page_cache.py), is the new release's own.
"""

import hashlib
import time

from django.conf import settings
from django.core.cache import cache
from django.db import transaction

TIMEOUT = 300


def _prefix():
    return f"directory:{getattr(settings, 'RELEASE', '')}"


def generation():
    """The directory's current generation, which every change replaces."""
    key = f"{_prefix()}:generation"
    value = cache.get(key)
    if value is None:
        cache.add(key, time.time_ns(), timeout=None)
        value = cache.get(key)
    return value


def directory_cached(name, compute):
    """compute(), or its value cached since the last change to the directory."""
    key = f"{_prefix()}:{generation()}:{name}"
    value = cache.get(key)
    if value is None:
        value = compute()
        cache.set(key, value, TIMEOUT)
    return value


def directory_cached_many(name, keys, compute):
    """{key: value} for each of `keys`, read with one get_many under the current generation;
    compute(missing keys) -> {key: value} fills the ones not cached yet, stored with one set_many."""
    prefix = f"{_prefix()}:{generation()}:{name}:"
    found = cache.get_many([prefix + str(key) for key in keys])
    values = {key: found[prefix + str(key)] for key in keys if prefix + str(key) in found}
    missing = [key for key in keys if key not in values]
    if missing:
        computed = compute(missing)
        cache.set_many({prefix + str(key): value for key, value in computed.items()}, TIMEOUT)
        values.update(computed)
    return values


def digest(text):
    """A short, fixed-length name for a long text (a query string) in a cache key."""
    return hashlib.blake2b(text.encode(), digest_size=12).hexdigest()


def directory_changed(**kwargs):
    """Forget the cached counts; usable as a signal receiver.

    Forgotten now, for the rest of this request, and again when the transaction commits: a request
    that read the old rows in between may have cached them under the generation set now.
    """
    _new_generation()
    transaction.on_commit(_new_generation)


def _new_generation():
    cache.set(f"{_prefix()}:generation", time.time_ns(), timeout=None)
