"""Django's Redis cache, for which an unreachable or full Redis is a cache miss, never an error.

Redis is optional (README): every cached thing can be computed again, and every count kept there (rate
limits, used form tokens) lets the request through rather than refuse it. So a failed call answers as
if Redis held nothing (`get` gives the default, `add` says it stored, `set` does nothing), is logged,
and Redis is left alone for DOWN_SECONDS, so that each request of an outage does not wait for it again.
"""

import logging
import time

from django.core.cache.backends.redis import RedisCache, RedisCacheClient
from redis.exceptions import RedisError

logger = logging.getLogger(__name__)

DOWN_SECONDS = 2
# What each call answers when Redis cannot: the answer of an empty cache that accepts every write.
FALLBACKS = {
    "add": True,
    "get": None,  # replaced by the caller's default
    "set": None,
    "touch": False,
    "delete": False,
    "get_many": {},
    "has_key": False,
    "incr": None,
    "set_many": [],
    "delete_many": None,
    "clear": None,
}


class CacheUnavailable(Exception):
    pass


class TolerantClient(RedisCacheClient):
    down_until = 0.0  # shared by the process's clients: one outage, one wait

    def _call(self, name, *args, **kwargs):
        if time.monotonic() < TolerantClient.down_until:
            raise CacheUnavailable
        try:
            return getattr(super(), name)(*args, **kwargs)
        except (RedisError, OSError) as error:
            TolerantClient.down_until = time.monotonic() + DOWN_SECONDS
            logger.warning("Redis unavailable, cache skipped for %s s: %s", DOWN_SECONDS, error)
            raise CacheUnavailable from error

    def ping(self):
        """True when Redis answers now (the health check), whatever the last failure."""
        try:
            return bool(self.get_client().ping())
        except (RedisError, OSError):
            return False


def _tolerant(name):
    def method(self, *args, **kwargs):
        try:
            return self._call(name, *args, **kwargs)
        except CacheUnavailable:
            if name == "get":
                return args[1] if len(args) > 1 else kwargs.get("default")
            fallback = FALLBACKS[name]
            return type(fallback)() if isinstance(fallback, dict | list) else fallback

    method.__name__ = name
    return method


for _name in FALLBACKS:
    setattr(TolerantClient, _name, _tolerant(_name))


class TolerantRedisCache(RedisCache):
    """settings.CACHES' backend with REDIS_URL; OPTIONS as Django's (socket timeouts, pool)."""

    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = TolerantClient

    def ping(self):
        return self._cache.ping()
