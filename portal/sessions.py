"""Sessions read from the shared cache (one Redis read per request rather than a database
query), kept in the database too, as Django's cached_db sessions are; used when the portal has
Redis (REDIS_URL), since a cache of each process's own would keep a signed-out session alive in
the other processes.

Unlike Django's, a cache that does not answer never turns a page into an error: the session is
read from and written to the database alone, and one line is logged (signing in works too,
when the browser brings no earlier session). Deleting a session is the exception: signing out
empties the cache first, so if the cache cannot be emptied the session is left whole (and the
error shown) rather than deleted from the database but alive in the cache.
Idle timeout, rotation at sign-in and the absolute lifetime are unchanged: the cached copy
expires with the database row, and is replaced whenever the row is written.
"""

import logging

from django.contrib.sessions.backends import cached_db

from .cache import cache_optional

logger = logging.getLogger(__name__)


class SessionStore(cached_db.SessionStore):
    def load(self):
        with self._optional():
            data = self._cache.get(self.cache_key)
            if data is not None:
                return data
        stored = self._get_session_from_db()
        if not stored:
            return {}
        data = self.decode(stored.session_data)
        with self._optional():
            self._cache.set(self.cache_key, data, self.get_expiry_age(expiry=stored.expire_date))
        return data

    def exists(self, session_key):
        """Whether a session key is taken (asked when a new key is drawn, as at sign-in)."""
        with self._optional():
            if session_key and (self.cache_key_prefix + session_key) in self._cache:
                return True
        return super(cached_db.SessionStore, self).exists(session_key)

    def save(self, must_create=False):
        super(cached_db.SessionStore, self).save(must_create)
        with self._optional():
            self._cache.set(self.cache_key, self._session, self.get_expiry_age())

    def delete(self, session_key=None):
        """Signing out, and giving up a signed-in key when it is rotated, empty Redis first
        and fail if it does not answer: a copy left there would outlive the session."""
        session_key = session_key or self.session_key
        if session_key is None:
            return
        self._cache.delete(self.cache_key_prefix + session_key)
        super(cached_db.SessionStore, self).delete(session_key)

    def _optional(self):
        return cache_optional(
            "session", logger=logger, what="Session", instead="read from the database"
        )
