"""Secrets that travel in addresses never reach a log: a deadlines calendar's address is its
own credential (proposals:calendar-feed), so its token is replaced wherever a log line would
carry it: gunicorn's access log, Django's request log ("Not Found: ...") and the security log.
"""

import logging
import re

from gunicorn.glogging import Logger

CALENDAR_TOKEN = re.compile(r"(/calendar/)[^/?#\s\"]+(\.ics)")
REDACTED = r"\1[redacted]\2"


def redact(text: str) -> str:
    return CALENDAR_TOKEN.sub(REDACTED, text)


class RedactSecretsFilter(logging.Filter):
    """Rewrites a record's message and its text fields (such as the security log's path)."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        if CALENDAR_TOKEN.search(message):
            record.msg, record.args = redact(message), ()
        for name, value in vars(record).items():
            if isinstance(value, str) and name != "msg" and CALENDAR_TOKEN.search(value):
                setattr(record, name, redact(value))
        return True


class RedactingGunicornLogger(Logger):
    """gunicorn's logger, its access-log atoms (request line, path, referrer...) redacted."""

    def atoms(self, resp, req, environ, request_time):
        return {
            key: redact(value) if isinstance(value, str) else value
            for key, value in super().atoms(resp, req, environ, request_time).items()
        }
