"""Logs an operator can read: every line names its request, and a failed request is one line.

The request id comes from the proxy's X-Request-ID header when it sends a plausible one (so the
proxy's access log and ours agree), otherwise it is made here; it is kept in a context variable
for the length of the request, so every logger's lines carry it without being passed it.
"""

import logging
import re
import uuid
from contextvars import ContextVar

from django.utils.functional import empty
from pythonjsonlogger.json import JsonFormatter

NO_REQUEST = "-"
request_id: ContextVar[str] = ContextVar("request_id", default=NO_REQUEST)

# What a proxy's id may look like: nginx's $request_id is 32 hex digits; anything else is made.
_PLAUSIBLE_ID = re.compile(r"[A-Za-z0-9._-]{8,64}")


def request_id_for(header: str | None) -> str:
    """The id a request is known by: the proxy's, when it is plausible, else a new one."""
    if header and _PLAUSIBLE_ID.fullmatch(header):
        return header
    return uuid.uuid4().hex


class RequestIdFilter(logging.Filter):
    """Adds `request_id` to every record (`-` outside a request)."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = request_id.get()
        return True


def _signed_in_user_id(request) -> int | None:
    """The user's id if the request already knows who it is; never a database query, since the
    failure being logged may be the database's."""
    user = request.__dict__.get("user")
    user = getattr(user, "_wrapped", user)
    if user is None or user is empty or not getattr(user, "is_authenticated", False):
        return None
    return user.pk


class RequestFormatter(JsonFormatter):
    """A failed or refused request as one JSON line: the exception's type and message, the path
    and the user's id, with the traceback only when `traceback` is set (debug logging)."""

    def __init__(self, *args, traceback: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.traceback = traceback

    def add_fields(self, log_data, record, message_dict):
        message_dict = dict(message_dict)
        if not self.traceback:
            message_dict.pop("exc_info", None)
        super().add_fields(log_data, record, message_dict)
        request = log_data.pop("request", None)
        if request is not None:
            log_data["path"] = request.path
            log_data["method"] = request.method
            log_data["user_id"] = _signed_in_user_id(request)
        if record.exc_info and record.exc_info[1] is not None:
            error = record.exc_info[1]
            log_data["exception"] = type(error).__name__
            log_data["exception_message"] = str(error)[:500]
