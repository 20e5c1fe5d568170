"""What the public pages compute from the directory, kept in Django's cache until what it shows changes.

Three lifetimes, each forgotten by the saves cooperations/dependencies.py declares (signals.py connects
them; bulk imports call `directory_changed()` themselves):
- `fiche_cached_many`: what shows one fiche (its card, its page's layout, its similar fiches' ids), kept
  until that fiche changes (`fiches_changed`, which gives it a new stamp);
- `directory_cached`: what counts or lists fiches (facet counts, a page's ids, whether a search finds
  something, the home counts), kept until any fiche changes;
- both, and the whole pages (page_cache.py), until the reference data changes (`directory_changed`: a
  form's or a territory's name shows on every page).
Entries also expire after TIMEOUT seconds, so that servers with a cache of their own each (no
REDIS_URL) are never stale for long. Some names carry a visitor's search: what they hold is bounded in
bytes (lib/cache_budget.py, pool "fragments").

Every key starts with the release (settings.RELEASE, read once at start-up): after a deployment, the new
code reads nothing the old one wrote (a card rendered by an older template, a value of another shape).
"""

import contextvars
import hashlib
import time
from contextlib import contextmanager

from django.conf import settings
from django.core.cache import cache
from django.db import transaction

from . import cache_budget

TIMEOUT = 300


def _prefix():
    return f"directory:{getattr(settings, 'RELEASE', '')}"


def _scope_generation(scope):
    key = f"{_prefix()}:generation:{scope}"
    value = cache.get(key)
    if value is None:
        cache.add(key, time.time_ns(), timeout=None)
        value = cache.get(key)
    return value


def generation():
    """The directory's current generation, which every change replaces: that of the reference data
    (directory_changed) and that of the fiches (fiches_changed)."""
    return f"{_scope_generation('directory')}.{_scope_generation('fiches')}"


def directory_cached(name, compute):
    """compute(), or its value cached since the last change to the directory."""
    key = f"{_prefix()}:{generation()}:{name}"
    value = cache.get(key)
    if value is None:
        value = compute()
        cache_budget.set_bounded("fragments", key, value, TIMEOUT)
    return value


def directory_cached_many(name, keys, compute):
    """{key: value} for each of `keys`, read with one get_many under the current generation;
    compute(missing keys) -> {key: value} fills the ones not cached yet, stored with one set_many."""
    prefix = f"{_prefix()}:{generation()}:{name}:"
    return _cached_many({key: prefix + str(key) for key in keys}, compute)


def fiche_cached_many(name, ids, compute):
    """As directory_cached_many, for what shows one fiche each (its card, its layout): kept until that
    fiche changes (fiches_changed) or the reference data does (directory_changed), not when another
    fiche does. The fiches' stamps and the generation are read with one get_many."""
    ids = list(ids)
    directory_key = f"{_prefix()}:generation:directory"
    stamp_keys = {pk: f"{_prefix()}:stamp:{pk}" for pk in ids}
    found = cache.get_many([directory_key, *stamp_keys.values()])
    directory = found.get(directory_key) or _scope_generation("directory")
    keys = {pk: f"{_prefix()}:{directory}:{name}:{pk}:{found.get(stamp_keys[pk], 0)}" for pk in ids}
    return _cached_many(keys, compute)


def _cached_many(keys, compute):
    """keys: {key: its cache key}."""
    found = cache.get_many(list(keys.values()))
    values = {key: found[name] for key, name in keys.items() if name in found}
    missing = [key for key in keys if key not in values]
    if missing:
        computed = compute(missing)
        stored = {keys[key]: value for key, value in computed.items()}
        cache_budget.set_many_bounded("fragments", stored, TIMEOUT)
        values.update(computed)
    return values


def digest(text):
    """A short, fixed-length name for a long text (a query string) in a cache key."""
    return hashlib.blake2b(text.encode(), digest_size=12).hexdigest()


def directory_changed(**kwargs):
    """Forget everything cached: a change to the reference data that every page may show (a form's
    name, a territory's); usable as a signal receiver.

    Forgotten now, for the rest of this request, and again when the transaction commits: a request
    that read the old rows in between may have cached them under the generation set now.
    """
    _renew(lambda: cache.set(f"{_prefix()}:generation:directory", time.time_ns(), timeout=None))


def fiches_changed(ids, *, pages=True):
    """These fiches changed: forget their own fragments (fiche_cached_many) and what counts or lists
    the fiches (directory_cached), not the other fiches' fragments (see cooperations/dependencies.py);
    and every whole page, unless the change's effect on them is worked out (pages_worked_out) or the
    caller says it has none of its own (pages=False)."""
    ids = list(ids)

    def renew():
        now = time.time_ns()
        # A stamp outlives every fragment written under the stamp before it.
        cache.set_many({f"{_prefix()}:stamp:{pk}": now for pk in ids}, TIMEOUT * 2)
        cache.set(f"{_prefix()}:generation:fiches", now, timeout=None)

    _renew(renew)
    if pages and (not ids or not set(ids) <= _worked_out.get()):
        tags_changed([PAGES_TAG])


# --- Whole pages' tags (page_cache.py) ----------------------------------------------------------------
# A page is keyed by the generations of the tags its view declares (cooperations/dependencies.py says
# which tags a page reads and which a change replaces) and by PAGES_TAG, which a change whose effect
# is not worked out replaces: a bulk import, a structure's save, a fiche saved outside the editor.
PAGES_TAG = "pages"
# The tag of the pages that declare none: replaced by any change to a fiche, worked out or not.
EVERY_CHANGE_TAG = "changes"
_worked_out = contextvars.ContextVar("pages_worked_out", default=frozenset())


@contextmanager
def pages_worked_out(ids):
    """Within this block, a change to these fiches leaves the whole pages to the caller, who replaces
    the tags its change can alter (cooperations/dependencies.fiche_change)."""
    token = _worked_out.set(_worked_out.get() | frozenset(ids))
    try:
        yield
    finally:
        _worked_out.reset(token)


def _tag_key(tag):
    return f"{_prefix()}:tag:{tag}"


def tag_generations(tags):
    """A short text naming the current generation of the reference data and of each of `tags` (and
    PAGES_TAG), read with one get_many; a tag never replaced is at 0."""
    tags = [PAGES_TAG, *sorted(set(tags))]
    directory_key = f"{_prefix()}:generation:directory"
    found = cache.get_many([directory_key, *map(_tag_key, tags)])
    directory = found.get(directory_key) or _scope_generation("directory")
    return ".".join([str(directory), *(str(found.get(_tag_key(tag), 0)) for tag in tags)])


def tags_changed(tags):
    """Forget the pages keyed by any of `tags`, now and when the transaction commits. The tags never
    expire: one that expired would come back to 0, and with it a page cached before it was replaced."""
    tags = set(tags)
    if tags:
        _renew(lambda: cache.set_many({_tag_key(tag): time.time_ns() for tag in tags}, timeout=None))


def _renew(change):
    change()
    transaction.on_commit(change)
