"""The Redis cache keeps JSON, not pickle: a value read back from Redis is data, never code,
so whoever can write to Redis still cannot make a web process run anything."""

import json
import logging
from contextlib import contextmanager


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
