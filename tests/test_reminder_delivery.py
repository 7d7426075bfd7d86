"""Reminders on real infrastructure: Celery worker processes on Redis deliver to an SMTP server
(aiosmtpd) that the test starts, with the scan run as an operator or the beat would run it;
and the embedded default (SQLite, the filesystem broker, e-mail files) doing the same.

Each test commits its data (the workers are other processes) and gives its workers a Redis
queue of their own, so nothing else on the same Redis can take their tasks.
"""

import os
import signal
import subprocess
import sys
import time
from collections import Counter
from datetime import date, timedelta

import pytest
from django.db.models import F

from proposals.management.commands.send_reminders import NOTHING_TO_SEND
from proposals.models import Notification, ReminderDelivery, Stage, Step

from .factories import ProposalFactory
from .helpers import ROOT, clean_env, manage
from .workers import (
    LEASE_SECONDS,
    WAIT_SECONDS,
    celery_call,
    embedded_worker,
    mail_files_to,
    settle,
    wait_until,
)

pytestmark = pytest.mark.worker
# The workers are other processes: they see only committed rows.
committed = pytest.mark.django_db(transaction=True, serialized_rollback=True)

SCAN_DAY = "2026-11-30"
DUE = date(2026, 12, 9)  # 7 working days after SCAN_DAY
KILLED_SEND_ROUNDS = 10


@pytest.fixture
def scan(portal_env):
    """Run `manage.py send_reminders` for SCAN_DAY as an operator would; returns its output."""

    def run():
        result = manage("send_reminders", "--date", SCAN_DAY, env=portal_env, timeout=60)
        assert result.returncode == 0, result.stderr
        return result.stdout

    return run


def due_in_seven_working_days(pcc, count=1):
    proposals = ProposalFactory.create_batch(count, pcc=pcc)
    Stage.objects.filter(proposal__in=proposals, step=Step.BUSINESS_CASE).update(due_date=DUE)
    return proposals


def kill_the_send_mid_conversation(*, proposal, catcher, worker, scan) -> ReminderDelivery:
    """Scan, let `worker` reach the mail server with `proposal`'s reminder, kill it there
    (before the server accepted the message); returns the delivery, left "sending"."""
    catcher.hold_next()
    scan()
    assert catcher.holding.wait(WAIT_SECONDS), "the worker never reached the mail server"
    os.kill(worker.pid, signal.SIGKILL)
    worker.wait(timeout=10)
    assert catcher.cut_off.wait(WAIT_SECONDS)
    delivery = ReminderDelivery.objects.get(stage__proposal=proposal)
    assert delivery.status == "sending"
    return delivery


def let_the_lease_pass(delivery: ReminderDelivery) -> None:
    """Move the send's claim back past its lease in the database: never waited for."""
    ReminderDelivery.objects.filter(pk=delivery.pk).update(
        claimed_at=F("claimed_at") - timedelta(seconds=LEASE_SECONDS + 1)
    )


@committed
def test_a_worker_delivers_each_reminder_once_by_smtp_and_a_rerun_sends_nothing(
    essex, essex_staff, essex_signatory, reviewer, smtp_server, start_worker, scan, portal_env
):
    due_in_seven_working_days(essex)
    _, catcher = smtp_server
    _, log = start_worker()
    start_worker.ready(log)
    # First as the 07:00 beat does it: the scan task, run by the worker.
    celery_call("proposals.tasks.scan_reminders", portal_env, args=f'["{SCAN_DAY}"]')
    messages = settle(catcher, 2)
    # Then again, as an operator would.
    assert NOTHING_TO_SEND in scan()
    time.sleep(1.5)
    assert catcher.received() == messages
    assert sorted(str(message["To"]) for message in messages) == sorted(
        [essex_staff.email, essex_signatory.email]
    )
    message = messages[0]
    assert message["Subject"].startswith("Due in 7 working days: the business case stage")
    assert message.get_content_type() == "multipart/alternative"
    html = message.get_body(preferencelist=("html",)).get_content()
    assert "https://fire-governance.example.gov.uk/proposals/" in html
    assert set(ReminderDelivery.objects.values_list("status", flat=True)) == {"sent"}
    assert Notification.objects.filter(user=essex_staff, read_at__isnull=True).count() == 1
    assert Notification.objects.filter(user=reviewer).count() == 0


@committed
def test_two_scans_on_two_workers_at_once_send_each_e_mail_once(
    essex, essex_staff, essex_signatory, smtp_server, start_worker, portal_env
):
    due_in_seven_working_days(essex, count=10)
    _, catcher = smtp_server
    logs = [start_worker()[1] for _ in range(2)]
    for log in logs:
        start_worker.ready(log)
    scans = [
        subprocess.Popen(
            [sys.executable, "manage.py", "send_reminders", "--date", SCAN_DAY],
            cwd=ROOT,
            env=portal_env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )
        for _ in range(2)
    ]
    for process in scans:
        assert process.wait(timeout=60) == 0, process.stderr.read()
    messages = settle(catcher, 20)
    sent = Counter((str(message["To"]), str(message["Subject"])) for message in messages)
    assert len(sent) == 20
    assert set(sent.values()) == {1}
    assert ReminderDelivery.objects.filter(status="sent").count() == 20


@committed
def test_a_mail_server_refusing_the_first_attempts_gets_the_mail_after_retries_once(
    essex, essex_staff, smtp_server, start_worker, scan
):
    due_in_seven_working_days(essex)
    _, catcher = smtp_server
    catcher.refuse_first = 2
    _, log = start_worker()
    start_worker.ready(log)
    scan()
    messages = settle(catcher, 1)
    assert len(messages) == 1
    assert catcher.attempts == 3
    delivery = ReminderDelivery.objects.get()
    assert (delivery.status, delivery.attempts) == ("sent", 3)
    assert "Retry in" in log.read_text()


@committed
def test_a_worker_killed_during_a_send_leaves_it_to_the_next_scan_which_sends_it_once(
    essex, essex_staff, smtp_server, start_worker, scan
):
    """Ten times in a row: a worker is killed mid-conversation with the mail server; a scan
    within the lease leaves the send alone (it might still be alive); once the lease has passed
    (its claim moved back in the database, not waited for) the next scan has a new worker send
    it, once."""
    _, catcher = smtp_server
    process, log = start_worker()
    start_worker.ready(log)
    for round_number in range(1, KILLED_SEND_ROUNDS + 1):
        (proposal,) = due_in_seven_working_days(essex)
        delivery = kill_the_send_mid_conversation(
            proposal=proposal, catcher=catcher, worker=process, scan=scan
        )
        process, log = start_worker()
        start_worker.ready(log)
        assert NOTHING_TO_SEND in scan()
        let_the_lease_pass(delivery)
        scan()
        wait_until(
            lambda: len(catcher.received()) == round_number,  # noqa: B023 (this round's count)
            message=f"the e-mail of round {round_number}",
        )
    messages = settle(catcher, KILLED_SEND_ROUNDS)
    assert len(messages) == KILLED_SEND_ROUNDS
    assert {str(message["To"]) for message in messages} == {essex_staff.email}
    assert set(ReminderDelivery.objects.values_list("status", "attempts")) == {("sent", 2)}
    assert Notification.objects.filter(user=essex_staff).count() == KILLED_SEND_ROUNDS


DEMO_REMINDER = """
from datetime import date
from portal.models import User
from proposals.models import Pcc, Step
from proposals.services.drafting import proposal_create
from proposals.services.workflow import stage_set_due_date

staff = User.objects.get(username="staff-essex")
pcc = Pcc.objects.get(slug="essex")
proposal = proposal_create(
    pcc=pcc, title="Essex governance, second look", governance_model="governance",
    fire_authorities=pcc.fire_authorities.all(), by=staff,
)
stage_set_due_date(
    stage=proposal.stages.get(step=Step.BUSINESS_CASE), due_date=date(2026, 12, 9),
    reason="Agreed at the quarterly meeting", by=User.objects.get(username="reviewer"),
    past_confirmed=True,
)
"""
COUNT_NOTIFICATIONS = (
    "from proposals.models import Notification; "
    "print(Notification.objects.filter(user__username='staff-essex', "
    "title__startswith='Due in').count())"
)


def test_on_the_embedded_default_a_stage_due_in_7_working_days_is_reminded_once(tmp_path):
    """The issue's "done when", on what `make run` runs: SQLite, the filesystem broker and
    e-mail written to var/mail, with the worker from the Procfile."""
    env = clean_env(DJANGO_DEBUG="true", PORTAL_VAR_DIR=str(tmp_path))
    for command in (["migrate", "--no-input"], ["seed_demo"], ["shell", "-c", DEMO_REMINDER]):
        result = manage(*command, env=env)
        assert result.returncode == 0, result.stderr
    first = manage("send_reminders", "--date", SCAN_DAY, env=env)
    # The demo's collaboration agreements have review reminders of their own (issue 14).
    queued = [line for line in first.stdout.splitlines() if "Essex governance, second look" in line]
    assert len(queued) == 2, first.stdout + first.stderr
    mail = tmp_path / "mail"
    with embedded_worker(env, tmp_path / "worker.log"):
        wait_until(
            lambda: len(mail_files_to(mail, "Due in 7 working days")) >= 2,
            message="two reminder e-mails",
        )
        assert NOTHING_TO_SEND in manage("send_reminders", "--date", SCAN_DAY, env=env).stdout
        time.sleep(1.5)
    assert mail_files_to(mail, "Due in 7 working days") == [
        "signatory-essex@example.com",
        "staff-essex@example.com",
    ]
    shown = manage("shell", "--verbosity=0", "-c", COUNT_NOTIFICATIONS, env=env)
    assert shown.stdout.strip() == "1", shown.stderr


@committed
def test_a_worker_delivers_each_checklist_reminder_once_and_a_rerun_sends_nothing(
    essex, essex_staff, essex_signatory, reviewer, smtp_server, start_worker, scan
):
    from proposals.models import ChecklistItem, ChecklistItemKind

    from .factories import transferred_proposal

    proposal = transferred_proposal(essex, transfer_date=date(2026, 10, 1), title="Essex PFCC")
    # Only the fire and rescue plan is outstanding, due 7 working days after the scan day.
    ChecklistItem.objects.filter(proposal=proposal).exclude(
        kind=ChecklistItemKind.FIRE_PLAN
    ).update(done_on=date(2026, 10, 1), confirmed_at=F("created_at"))
    ChecklistItem.objects.filter(proposal=proposal, kind=ChecklistItemKind.FIRE_PLAN).update(
        due_on=DUE
    )
    _, catcher = smtp_server
    _, log = start_worker()
    start_worker.ready(log)
    scan()
    messages = settle(catcher, 2)
    assert NOTHING_TO_SEND in scan()
    time.sleep(1.5)
    assert catcher.received() == messages
    assert sorted(str(message["To"]) for message in messages) == sorted(
        [essex_staff.email, essex_signatory.email]
    )
    assert str(messages[0]["Subject"]) == (
        "Due in 7 working days: First fire and rescue plan published, after the order on Essex PFCC"
    )
    deliveries = ReminderDelivery.objects.filter(checklist_item__proposal=proposal)
    assert set(deliveries.values_list("status", flat=True)) == {"sent"}
    assert Notification.objects.filter(user=reviewer).count() == 0
