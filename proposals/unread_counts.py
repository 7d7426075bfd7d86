"""Each person's unread-notification count, shown in every page's header, kept in the shared
cache so that a page costs one cache read rather than a count over their notifications; and
what a page lists of their unread notifications (a PCC's page: its unread news), kept by the
version of their notifications.

A count and a version are forgotten whenever a notification of theirs is added or read (the
Notification model and its queryset call `forget` on every write), both at once and again when
the transaction commits, so a count read by another request in between is not kept either; a
list kept under a forgotten version is never read again. Each is kept at most
UNREAD_COUNT_SECONDS, in case a write goes round the ORM.
"""

import logging
import secrets
from collections.abc import Callable, Iterable

from django.conf import settings

from portal.cache import (
    cache_optional,
    cached,
    person_cache_forget,
    person_cached,
    person_key,
)

logger = logging.getLogger(__name__)

UNREAD_COUNT_SECONDS = 10 * 60


@person_key
def _key(user_id: int) -> str:
    return f"notifications:unread:{user_id}"


def unread_count(user_id: int, count: Callable[[], int]) -> int:
    """The person's cached count (read with their other per-page values), else `count()`
    (then cached)."""
    return person_cached(
        user_id, _key(user_id), count, timeout=UNREAD_COUNT_SECONDS, optional=_optional
    )


@person_key
def _version_key(user_id: int) -> str:
    return f"notifications:version:{user_id}"


def unread_listed(user_id: int, name: str, listed: Callable[[], list]) -> list:
    """`listed()` (JSON-ready: a list of their unread notifications, say), kept as `name`
    for the person until a notification of theirs is added or read."""
    if not settings.CACHE_SHARED:
        return listed()
    version = person_cached(
        user_id,
        _version_key(user_id),
        lambda: secrets.token_hex(8),
        timeout=UNREAD_COUNT_SECONDS,
        optional=_optional,
    )
    key = f"notifications:{name}:{user_id}:{version}"
    return cached(key, listed, timeout=UNREAD_COUNT_SECONDS, optional=_optional)


def forget(user_ids: Iterable[int]) -> None:
    """Drop these people's counts and lists now and once the current transaction commits."""
    keys = [key(user_id) for user_id in set(user_ids) for key in (_key, _version_key)]
    if keys:
        person_cache_forget(keys, optional=_optional)


def _optional(key: str):
    return cache_optional(key, logger=logger, what="Unread count", instead="counted directly")
