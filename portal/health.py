"""Is the portal's infrastructure answering? Used by /healthz and by `make test`'s preflight.

Each check answers within its timeout: the database's connect timeout
(DATABASE_CONNECT_TIMEOUT), HEALTHCHECK_BROKER_TIMEOUT for the broker, and the cache's socket
timeouts (settings.CACHES).
"""

from django.conf import settings
from django.core.cache import cache
from django.db import connection

from .celery import app as celery_app


def database_answers() -> bool:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            return cursor.fetchone() == (1,)
    except Exception:
        return False


def broker_answers() -> bool:
    try:
        with celery_app.connection_for_write() as conn:
            conn.ensure_connection(
                max_retries=1, interval_start=0, timeout=settings.HEALTHCHECK_BROKER_TIMEOUT
            )
        return True
    except Exception:
        return False


def cache_answers() -> bool:
    """The dashboards' cache. Pages render without it (figures computed directly), but slower."""
    try:
        cache.get("healthz")  # a round trip: what comes back does not matter
        return True
    except Exception:
        return False


#: Every dependency /healthz reports, by the name it reports it under.
CHECKS = {"database": database_answers, "broker": broker_answers, "cache": cache_answers}
