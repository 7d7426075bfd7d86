"""Is the portal's infrastructure answering? Used by /healthz and by `make test`'s preflight."""

from django.conf import settings
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
