"""The signed-in person, read from the shared cache with their other per-page values
(portal.cache.person_cached) rather than by a database query on every request.

Used only with Redis (REDIS_URL), as cached sessions are: each process's own cache would keep
a deactivated account signed in in the other processes. Any save or deletion of the account
(deactivation, a new password, a new role, signing in) forgets the cached copy at once and
again when the change commits; a copy is kept at most USER_CACHE_SECONDS in case a change goes
round the ORM. The copy is the account's row, password hash included, as JSON: the password
check at sign-in, the session's check against the password and "type your password again"
work on it unchanged. Redis already holds the sessions, so it is trusted no less than that.
"""

import logging
from datetime import date

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from .cache import cache_optional, person_cache_forget, person_cached, person_key

logger = logging.getLogger(__name__)

USER_CACHE_SECONDS = 10 * 60


@person_key
def _user_key(user_id: int) -> str:
    return f"auth:user:{user_id}"


class CachedModelBackend(ModelBackend):
    """Django's ModelBackend, except that get_user reads the account from the shared cache."""

    def get_user(self, user_id):
        try:
            user_id = int(user_id)
        except (TypeError, ValueError):
            return None
        row = person_cached(
            user_id,
            _user_key(user_id),
            lambda: _account_row(user_id),
            timeout=USER_CACHE_SECONDS,
            optional=_optional,
        )
        if not row:
            return None
        user = _account_from_row(row)
        return user if self.user_can_authenticate(user) else None


def _fields():
    return get_user_model()._meta.concrete_fields


def _account_row(user_id: int) -> dict:
    """The account's row as JSON-ready values ({} when there is no such account)."""
    row = (
        get_user_model()
        ._default_manager.filter(pk=user_id)
        .values(*[field.attname for field in _fields()])
    )
    row = row.first() or {}
    return {name: v.isoformat() if isinstance(v, date) else v for name, v in row.items()}


def _account_from_row(row: dict):
    fields = _fields()
    values = [field.to_python(row[field.attname]) for field in fields]
    return get_user_model().from_db("default", [field.attname for field in fields], values)


@receiver([post_save, post_delete], sender="portal.User")
def account_changed(sender, instance, **kwargs):
    """An account saved or deleted: the next request reads it afresh."""
    person_cache_forget([_user_key(instance.pk)], optional=_optional)


def _optional(key: str):
    return cache_optional(key, logger=logger, what="Account", instead="read from the database")
