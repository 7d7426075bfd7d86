"""The Redis cache keeps JSON, not pickle: a value read back from Redis is data, never code,
so whoever can write to Redis still cannot make a web process run anything. And what every
page reads for the person signed in comes back in one round trip (person_cached)."""

import json
import logging
from collections.abc import Callable
from contextlib import contextmanager
from contextvars import ContextVar

from django.conf import settings
from django.core.cache import cache
from django.core.cache.backends import redis as redis_backend
from django.core.signals import request_finished, request_started
from django.db import transaction
from django.dispatch import receiver


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


# --- What every page reads for the person signed in, in one round trip -----------------------

#: Functions making, from a person's id, the key of a value most pages read for them (their
#: devices for the one-time password check, their unread count for the header).
_PERSON_KEYS: list[Callable[[int], str]] = []
#: This request's read of those values, key -> value (None: not in the cache); None outside a
#: request, where every read goes to the cache (a worker must not keep values between tasks).
_person_values: ContextVar[dict | None] = ContextVar("person_values", default=None)


def person_key(make_key: Callable[[int], str]) -> Callable[[int], str]:
    """Register `make_key` (a decorator): the first person value a request reads fetches every
    registered value of that person with one cache round trip instead of one each."""
    _PERSON_KEYS.append(make_key)
    return make_key


def person_cached(user_id: int, key: str, compute: Callable, *, timeout: int, optional):
    """The person's cached value at `key` (one of person_key's), else `compute()`, then cached
    for `timeout` seconds. `optional(key)` is the caller's cache_optional: without a cache that
    answers, or without one shared by every process (CACHE_SHARED, Redis), the value is
    computed every time."""
    if not settings.CACHE_SHARED:
        # Each process's own cache could not be told of a change made in another.
        return compute()
    values = _person_values.get()
    if values is None:  # outside a request
        return cached(key, compute, timeout=timeout, optional=optional)
    if values.get(_PERSON) != user_id:
        keys = [make_key(user_id) for make_key in _PERSON_KEYS]
        values.clear()
        with optional(",".join(keys)):
            values.update({_PERSON: user_id, **dict.fromkeys(keys), **cache.get_many(keys)})
    if values.get(key) is None:
        # Read ahead and missing: no need to ask the cache again.
        values[key] = cached(
            key, compute, timeout=timeout, optional=optional, read=key not in values
        )
    return values[key]


def cached(key: str, compute: Callable, *, timeout: int, optional, read: bool = True):
    """The cache's value at `key` (unless `read` is false: known to be missing), else
    `compute()`, then kept for `timeout` seconds; `optional(key)` is the caller's
    cache_optional, so a cache that does not answer only means computing."""
    if read:
        with optional(key):
            value = cache.get(key)
            if value is not None:
                return value
    value = compute()
    with optional(key):
        cache.set(key, value, timeout)
    return value


def person_cache_forget(keys: list[str], *, optional) -> None:
    """Drop the values at `keys` (person_key's) now, in this request's read too, and again once
    the current transaction commits, so a value read by another request in between is not
    kept either."""

    def forget():
        values = _person_values.get()
        for key in keys if values is not None else ():
            values.pop(key, None)
        with optional(",".join(keys)):
            cache.delete_many(keys)

    forget()
    transaction.on_commit(forget)


_PERSON = "__person__"


@receiver(request_started)
def _person_values_start(**kwargs):
    _person_values.set({})


@receiver(request_finished)
def _person_values_end(**kwargs):
    _person_values.set(None)
