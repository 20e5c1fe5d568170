"""A bound, in bytes, on what the caches keyed by visitors' addresses may hold, whatever the traffic.

Whole pages (lib/page_cache.py) and the list's fragments (lib/cache.py) are kept under keys that a
visitor's query string chooses: without a bound, a client asking for new addresses fills Redis (or each
process's memory) until it refuses every write. Each such write first reserves its size in its pool;
a pool holds at most its share of settings.CACHE_BUDGET_MB, and a write that does not fit is not made
(the page is computed each time, as without a cache).

Entries live `seconds` at most, so what a pool holds now is what it reserved in the last `seconds`: the
reservations are counted in ten time slices of that length, each kept a little longer than an entry,
and their sum is the pool's size. Counting never frees a slice early (a replaced generation's entries
still take room until they expire), so the count is never below what the cache holds. The counters
live in the same cache as the entries, so that all processes sharing a Redis share the bound.
"""

import pickle
import time

from django.conf import settings
from django.core.cache import cache

# Shares of CACHE_BUDGET_MB.
POOLS = {"pages": 0.75, "fragments": 0.25}
SLICES = 10
# One entry above this is never kept: a page this large is rare and cheap to compute again.
MAX_ENTRY_BYTES = 512 * 1024
# What a stored key costs beside its value (the key itself, Redis's bookkeeping).
ENTRY_OVERHEAD = 128


def limit(pool):
    return int(settings.CACHE_BUDGET_MB * 2**20 * POOLS[pool])


def used(pool, seconds):
    """The bytes reserved in `pool` by entries that may still be alive."""
    return sum(cache.get_many(_slice_keys(pool, seconds)).values())


def reserve(pool, size, seconds):
    """True when `size` more bytes fit in `pool` for entries kept `seconds`; then they are counted."""
    if size > MAX_ENTRY_BYTES or size > limit(pool):
        return False
    *older, current = _slice_keys(pool, seconds)
    cache.add(current, 0, timeout=seconds + 2 * _step(seconds))
    try:
        total = cache.incr(current, size)
    except ValueError:  # the slice expired between the two calls
        return False
    if total is None:  # the cache cannot count now: keep nothing
        return False
    total += sum(cache.get_many(older).values())
    if total > limit(pool):
        cache.decr(current, size)
        return False
    return True


def set_bounded(pool, key, value, seconds):
    """cache.set(key, value) when it fits in `pool`; returns whether it was stored."""
    size = len(pickle.dumps(value, pickle.HIGHEST_PROTOCOL)) + len(key) + ENTRY_OVERHEAD
    if not reserve(pool, size, seconds):
        return False
    cache.set(key, value, seconds)
    return True


def _step(seconds):
    return max(1, -(-seconds // SLICES))


def _slice_keys(pool, seconds):
    """The keys of the slices that may count a living entry, oldest first, the current one last."""
    step = _step(seconds)
    now = int(time.time())
    first, last = (now - seconds) // step, now // step
    return [f"budget:{pool}:{step}:{index}" for index in range(first, last + 1)]
