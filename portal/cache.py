"""The Redis cache keeps JSON, not pickle: a value read back from Redis is data, never code,
so whoever can write to Redis still cannot make a web process run anything."""

import json
import logging
from contextlib import contextmanager

from django.core.cache.backends import redis as redis_backend


class JSONSerializer:
    """Django's RedisCache serializer interface. Integers are stored bare, as Django's own
    serializer stores them, so the cache's incr and decr keep working."""

    def dumps(self, value):
        if type(value) is int:
            return value
        return json.dumps(value, separators=(",", ":")).encode()

    def loads(self, data):
        try:
            return int(data)
        except ValueError:
            return json.loads(data)


@contextmanager
def cache_optional(key: str, *, logger: logging.Logger, what: str, instead: str):
    """Run a cache operation; if the cache is down, log one line (no traceback) and carry on
    without it: the cache only ever saves work, so the page must render without it."""
    try:
        yield
    except Exception as error:  # any backend's failure
        logger.warning(
            "%s cache unavailable, %s (%s: %s) for %s",
            what,
            instead,
            type(error).__name__,
            error,
            key,
        )


class RedisCacheClient(redis_backend.RedisCacheClient):
    """Django's, keeping one redis-py client per connection pool. Django makes a new client
    for every operation, and redis-py 8 fills about 170 reply callbacks in each: a third of a
    millisecond, several times on every page (session, unread count, dashboard parts)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._clients = {}

    def get_client(self, key=None, *, write=False):
        pool = self._get_connection_pool(write)
        client = self._clients.get(id(pool))
        if client is None:
            client = self._clients[id(pool)] = self._client(connection_pool=pool)
        return client


class RedisCache(redis_backend.RedisCache):
    """Django's Redis cache with RedisCacheClient above."""

    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = RedisCacheClient
