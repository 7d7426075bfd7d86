"""Redis stopped: the dashboards' cache and the broker are gone, and the portal says so without
falling over (issue 11: "Redis down, the landing pages answer 500")."""

import logging

import pytest
from django.contrib.sessions.models import Session
from django.urls import reverse

from proposals.management.commands.send_reminders import BROKER_DOWN
from proposals.models import ReminderDelivery

from ..factories import TEST_PASSWORD, NotificationFactory, ProposalFactory
from ..helpers import manage
from ..test_access import MATRIX, ROLES
from ..test_reminder_delivery import SCAN_DAY, committed, due_in_seven_working_days
from ..workers import celery_call, settle

pytestmark = [pytest.mark.faults, pytest.mark.django_db]

SIGNED_IN_ROLES = [role for role in ROLES if role != "anonymous"]
PAGES_THAT_RENDER = [
    (path, role)
    for path, row in MATRIX.items()
    if not path.startswith("/admin/")
    for role, expected in zip(ROLES, row, strict=True)
    if expected == 200 and role != "anonymous"
]


@pytest.mark.parametrize(("path", "role"), PAGES_THAT_RENDER)
def test_with_redis_stopped_every_signed_in_page_renders(
    request, client_for, redis_is_own, path, role
):
    client = client_for(request.getfixturevalue(role))
    redis_is_own.stop()
    assert client.get(path).status_code == 200


@pytest.mark.parametrize("role", ["essex_staff", "reviewer"])
def test_with_redis_stopped_proposal_and_notification_pages_render_with_the_unread_count(
    request, client_for, redis_is_own, essex, role
):
    user = request.getfixturevalue(role)
    proposal = ProposalFactory(pcc=essex, title="Essex governance case")
    NotificationFactory(user=user)
    client = client_for(user)
    redis_is_own.stop()
    for path in (
        reverse("proposals:detail", kwargs={"pk": proposal.pk}),
        reverse("proposals:stage", kwargs={"pk": proposal.pk, "step": "business-case"}),
        reverse("notifications"),
    ):
        response = client.get(path)
        assert response.status_code == 200, path
        assert "1 unread" in response.content.decode(), path


def test_with_redis_stopped_the_overview_shows_the_same_figures_and_logs_one_line_per_lookup(
    client_for, reviewer, essex, redis_is_own, caplog
):
    ProposalFactory(pcc=essex, title="Essex governance case")
    client = client_for(reviewer)
    with_redis = client.get("/overview/").content.decode()
    redis_is_own.stop()
    with caplog.at_level(logging.WARNING, logger="proposals.selectors"):
        without_redis = client.get("/overview/").content.decode()
    assert "Essex governance case" in without_redis
    assert without_redis.count("govuk-tag") == with_redis.count("govuk-tag")
    warnings = [record for record in caplog.records if record.name == "proposals.selectors"]
    # One lookup and one store, each failing: two lines, no traceback.
    assert len(warnings) == 2
    assert all("figures computed directly" in record.getMessage() for record in warnings)
    assert not any(record.exc_info for record in warnings)


def test_with_redis_stopped_healthz_answers_503_naming_the_broker_and_the_cache(
    client, redis_is_own
):
    redis_is_own.stop()
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json() == {
        "status": "unavailable",
        "database": "ok",
        "broker": "unavailable",
        "cache": "unavailable",
    }
    redis_is_own.start()
    assert client.get("/healthz").status_code == 200


@committed
def test_send_reminders_with_the_broker_down_records_them_says_so_in_one_line_and_they_go_out_when_it_is_back(  # noqa: E501
    essex, essex_staff, essex_signatory, redis_is_own, smtp_server, start_worker, portal_env
):
    due_in_seven_working_days(essex)
    redis_is_own.stop()
    result = manage("send_reminders", "--date", SCAN_DAY, env=portal_env, timeout=60)
    assert result.returncode != 0
    assert result.stderr.strip().splitlines() == [
        "CommandError: " + BROKER_DOWN.format(day="30 November 2026")
    ]
    assert "Traceback" not in result.stderr
    assert set(ReminderDelivery.objects.values_list("status", flat=True)) == {"pending"}
    assert ReminderDelivery.objects.count() == 2

    # The broker is back: the re-queue the beat runs every few minutes hands them to a worker.
    redis_is_own.start()
    _, catcher = smtp_server
    _, log = start_worker()
    start_worker.ready(log)
    celery_call("proposals.tasks.requeue_reminders", portal_env)
    messages = settle(catcher, 2)
    assert sorted(str(message["To"]) for message in messages) == sorted(
        [essex_staff.email, essex_signatory.email]
    )
    assert set(ReminderDelivery.objects.values_list("status", flat=True)) == {"sent"}


def test_with_redis_stopped_sessions_work_from_the_database_and_signing_out_never_half_ends_one(
    redis_is_own, client, reviewer
):
    """Signing in and browsing go on from the database alone. Signing out must end the session
    in Redis too (a copy left there would outlive it), so while Redis is down it is refused,
    the session left whole; once Redis is back, it ends."""
    redis_is_own.stop()
    signed_in = client.post(
        reverse("login"), {"username": reviewer.username, "password": TEST_PASSWORD}
    )
    assert signed_in.status_code == 302
    assert client.get("/duties/").status_code == 200
    client.raise_request_exception = False
    assert client.post(reverse("logout")).status_code == 500
    assert Session.objects.exists()
    redis_is_own.start()
    assert client.get("/duties/").status_code == 200
    assert client.post(reverse("logout")).status_code == 302
    assert client.get("/duties/")["Location"].startswith("/accounts/login/")
    assert not Session.objects.exists()
