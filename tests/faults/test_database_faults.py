"""The database cut off (pg_terminate_backend) or refusing connections (ALLOW_CONNECTIONS
false): /healthz tells the truth, a failed request is one log line and a GOV.UK page with its
reference, and a write that committed is reported as done."""

import json
import urllib.error
import urllib.request

import pytest
from django.db import connection
from django.urls import reverse

from portal.middleware import TOUCHED_AT
from proposals.models import Comment

from ..factories import ProposalFactory
from ..test_reminder_delivery import committed
from .conftest import admin_connection, database_url

pytestmark = pytest.mark.faults

SESSION_COOKIE = "sessionid=abcdefgh12345678"


def get(url: str, **headers) -> tuple[int, dict, str]:
    request = urllib.request.Request(url, headers=headers)
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, dict(response.headers), response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read().decode()


def test_with_the_database_refusing_connections_healthz_answers_503_json(
    serve_portal, refusing_database
):
    server = serve_portal(DATABASE_URL=database_url(refusing_database))
    # As a signed-in person's browser would ask: the session is not read.
    status, headers, body = get(f"{server.url}/healthz", Cookie=SESSION_COOKIE)
    assert status == 503
    assert headers["Content-Type"] == "application/json"
    assert json.loads(body) == {
        "status": "unavailable",
        "database": "unavailable",
        "broker": "ok",
        "cache": "ok",
    }


def test_with_the_database_refusing_connections_a_page_is_a_govuk_500_with_its_reference_and_one_log_line(  # noqa: E501
    serve_portal, refusing_database
):
    server = serve_portal(DATABASE_URL=database_url(refusing_database))
    # A signed-in person's request: reading their session needs the database.
    status, headers, page = get(f"{server.url}/overview/", Cookie=SESSION_COOKIE)
    assert status == 500
    request_id = headers["X-Request-ID"]
    assert "Sorry, there is a problem with the service" in page
    assert request_id in page
    assert 'class="govuk-header"' in page
    assert 'class="govuk-footer"' in page
    failures = [line for line in server.log_lines() if request_id in line and "django." in line]
    assert len(failures) == 1
    failure = json.loads(failures[0])
    assert failure["exception"] == "OperationalError"
    assert failure["request_id"] == request_id
    assert failure["path"] == "/overview/"
    assert failure["user_id"] is None
    assert "exc_info" not in failure
    assert "Traceback" not in server.log.read_text()


@committed
def test_a_comment_saved_before_the_connection_is_cut_is_reported_as_saved_once(
    client_for, essex, essex_staff
):
    """The issue's 7 in 364: the comment committed, then the session's save lost its connection
    and the person saw "Bad Request (400)" and posted again."""
    proposal = ProposalFactory(pcc=essex, created_by=essex_staff)
    client = client_for(essex_staff)
    client.get(reverse("proposals:detail", kwargs={"pk": proposal.pk}))
    # The idle expiry is due to be pushed back, so this request writes its session.
    session = client.session
    session[TOUCHED_AT] = 0
    session.save()

    def cut_before_the_session_is_saved(execute, sql, params, many, context):
        if sql.startswith('UPDATE "django_session"'):
            backend = context["connection"].connection.get_backend_pid()
            with admin_connection() as admin, admin.cursor() as cursor:
                cursor.execute("SELECT pg_terminate_backend(%s)", [backend])
        return execute(sql, params, many, context)

    with connection.execute_wrapper(cut_before_the_session_is_saved):
        response = client.post(
            reverse("proposals:comment", kwargs={"pk": proposal.pk}),
            {"body": "The fire authority meets on Thursday."},
        )
    assert response.status_code == 302
    page = client.get(response["Location"]).content.decode()
    assert "Comment added." in page
    assert list(Comment.objects.values_list("body", flat=True)) == [
        "The fire authority meets on Thursday."
    ]
