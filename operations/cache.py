"""CACHE_BACKEND=redis: Django's RedisCache, except that a Redis that cannot be reached is a cache miss.

What the portal caches (the public 公示 page, the statistics' figures) can always be computed again from the
database, so while Redis restarts or is cut off the pages are computed for every request instead of failing.
Django's own backend raises instead. A renewal lost during the outage (a filing's `public.forget`) is made
good when the cached copy expires (PUBLIC_LIST_CACHE_SECONDS).
"""

import logging
import time

from django.core.cache.backends import redis as django_redis
from redis.exceptions import ConnectionError, TimeoutError

logger = logging.getLogger(__name__)

UNREACHABLE = (ConnectionError, TimeoutError)  # BusyLoadingError (Redis reading its files after a restart) is a ConnectionError
LOG_EVERY_SECONDS = 60  # one warning a minute per process, not one per request

_last_logged = 0.0


def _missed(operation, error):
    global _last_logged
    now = time.monotonic()
    if now - _last_logged >= LOG_EVERY_SECONDS:
        _last_logged = now
        logger.warning("Redis cache unreachable (%s: %s); serving without the cache", operation, error)


def _tolerant(operation, fallback):
    def method(self, *args, **kwargs):
        try:
            return getattr(super(Client, self), operation)(*args, **kwargs)
        except UNREACHABLE as error:
            _missed(operation, error)
            return fallback(*args) if callable(fallback) else fallback

    method.__name__ = operation
    return method


def _no_counter(key, delta):
    raise ValueError(f"Key '{key}' not found (the cache is unreachable)")  # what Django's incr() says of a missing key


class Client(django_redis.RedisCacheClient):
    add = _tolerant("add", False)
    get = _tolerant("get", lambda key, default: default)
    set = _tolerant("set", None)
    touch = _tolerant("touch", False)
    delete = _tolerant("delete", False)
    get_many = _tolerant("get_many", lambda keys: {})
    has_key = _tolerant("has_key", False)
    incr = _tolerant("incr", _no_counter)
    set_many = _tolerant("set_many", lambda data, timeout: [])
    delete_many = _tolerant("delete_many", None)
    clear = _tolerant("clear", False)


class RedisCache(django_redis.RedisCache):
    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = Client
