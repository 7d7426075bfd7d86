"""A calendar address is its own credential: its token never reaches a log line."""

import logging
from datetime import timedelta
from types import SimpleNamespace

import pytest
from gunicorn.config import Config

from portal.log_redaction import RedactingGunicornLogger
from proposals.services.calendar import calendar_token_issue

pytestmark = pytest.mark.django_db


@pytest.fixture
def feed_path(reviewer):
    return f"/calendar/{calendar_token_issue(user=reviewer)}.ics"


def test_gunicorns_access_log_line_carries_no_calendar_token(feed_path):
    config = Config()
    config.set("access_log_format", '%(h)s "%(r)s" %(s)s "%(f)s" %(U)s')
    logger = RedactingGunicornLogger(config)
    environ = {
        "REMOTE_ADDR": "203.0.113.9",
        "REQUEST_METHOD": "GET",
        "RAW_URI": feed_path,
        "PATH_INFO": feed_path,
        "SERVER_PROTOCOL": "HTTP/1.1",
        "HTTP_REFERER": f"https://example.org{feed_path}",
    }
    response = SimpleNamespace(status="200 OK", headers=[], sent=10)
    atoms = logger.atoms(response, [], environ, timedelta(milliseconds=5))
    line = config.access_log_format % atoms
    assert feed_path not in line
    assert "/calendar/[redacted].ics" in line


def test_the_portals_log_handlers_redact_calendar_tokens(client, feed_path):
    """Django logs a refused address ("Not Found: <path>"); the security log writes paths."""
    token = feed_path.removeprefix("/calendar/").removesuffix(".ics")
    handlers = logging.getLogger().handlers + logging.getLogger("portal.security").handlers
    configured = [handler for handler in handlers if handler.filters]
    assert {handler.formatter.__class__.__name__ for handler in configured} >= {
        "Formatter",
        "JsonFormatter",
    }
    for handler in configured:
        record = logging.LogRecord(
            "django.request", logging.WARNING, __file__, 1, "Not Found: %s", (feed_path,), None
        )
        record.path = feed_path
        assert handler.filter(record)
        assert token not in handler.format(record)
