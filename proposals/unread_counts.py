"""Each person's unread-notification count, shown in every page's header, kept in the shared
cache so that a page costs one cache read rather than a count over their notifications.

A count is forgotten whenever a notification of theirs is added or read (the Notification
model and its queryset call `forget` on every write), both at once and again when the
transaction commits, so a count read by another request in between is not kept either. A
count is kept at most UNREAD_COUNT_SECONDS, in case a write goes round the ORM.
"""

import logging
from collections.abc import Callable, Iterable

from portal.cache import cache_optional, person_cache_forget, person_cached, person_key

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


def forget(user_ids: Iterable[int]) -> None:
    """Drop these people's counts now and once the current transaction commits."""
    keys = [_key(user_id) for user_id in set(user_ids)]
    if keys:
        person_cache_forget(keys, optional=_optional)


def _optional(key: str):
    return cache_optional(key, logger=logger, what="Unread count", instead="counted directly")
