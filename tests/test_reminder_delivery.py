"""Reminders on real infrastructure: Celery worker processes on Redis deliver to an SMTP server
(aiosmtpd) that the test starts, with the scan run as an operator or the beat would run it;
and the embedded default (SQLite, the filesystem broker, e-mail files) doing the same.

Each test commits its data (the workers are other processes) and gives its workers a Redis
queue of their own, so nothing else on the same Redis can take their tasks.
"""

import asyncio
import email
import os
import signal
import subprocess
import sys
import threading
import time
import uuid
from collections import Counter
from datetime import date, timedelta
from email.policy import default as default_policy
from urllib.parse import quote

import pytest
import redis
from aiosmtpd.controller import Controller
from django.conf import settings
from django.db.models import F

from proposals.management.commands.send_reminders import NOTHING_TO_SEND
from proposals.models import Notification, ReminderDelivery, Stage, Step

from .factories import ProposalFactory
from .helpers import ROOT, clean_env, manage
from .test_embedded_default import free_port

pytestmark = pytest.mark.worker
# The workers are other processes: they see only committed rows.
committed = pytest.mark.django_db(transaction=True, serialized_rollback=True)

SCAN_DAY = "2026-11-30"
DUE = date(2026, 12, 9)  # 7 working days after SCAN_DAY
# Longer than any worker's start-up, however busy the machine: the test moves a claim past its
# lease by moving its time back in the database, never by waiting.
LEASE_SECONDS = 600
WAIT_SECONDS = 30
KILLED_SEND_ROUNDS = 10


class MailCatcher:
    """An SMTP handler that keeps what it accepts; it can say "try later" to the first few
    messages, or hold the next one (the sender is then mid-conversation) until cut off."""

    def __init__(self):
        self.lock = threading.Lock()
        self.messages = []
        self.attempts = 0
        self.refuse_first = 0
        self._hold_next = False
        self.holding = threading.Event()
        self.cut_off = threading.Event()

    def hold_next(self):
        """Hold the next message unanswered; `holding` and `cut_off` then tell its story."""
        with self.lock:
            self._hold_next = True
            self.holding = threading.Event()
            self.cut_off = threading.Event()

    async def handle_DATA(self, server, session, envelope):
        with self.lock:
            self.attempts += 1
            refuse = self.attempts <= self.refuse_first
            hold, self._hold_next = self._hold_next, False
            holding, cut_off = self.holding, self.cut_off
        if refuse:
            return "451 4.3.0 Try again later"
        if hold:
            holding.set()
            try:
                await asyncio.sleep(60)
            except asyncio.CancelledError:  # the client went away before we answered
                cut_off.set()
                raise
            return "451 4.3.0 Held too long"
        message = email.message_from_bytes(envelope.content, policy=default_policy)
        with self.lock:
            self.messages.append(message)
        return "250 2.0.0 Message accepted for delivery"

    def received(self) -> list:
        with self.lock:
            return list(self.messages)


def wait_until(condition, seconds=WAIT_SECONDS, message="condition"):
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            pytest.fail(f"Timed out waiting for {message}")
        time.sleep(0.1)


@pytest.fixture
def smtp_server():
    catcher = MailCatcher()
    controller = Controller(catcher, hostname="127.0.0.1", port=free_port())
    controller.start()
    yield controller, catcher
    controller.stop()


@pytest.fixture
def portal_env(smtp_server):
    """The environment of every portal process in the test: the test database, Redis with a
    queue of the test's own, the test's SMTP server and quick retries."""
    if not settings.CELERY_BROKER_URL.startswith("redis://"):
        pytest.fail("These tests need Redis: set REDIS_URL (make test does).")
    db = settings.DATABASES["default"]
    queue = f"reminders-test-{uuid.uuid4().hex[:12]}"
    credentials = quote(db["USER"]) + (f":{quote(db['PASSWORD'])}" if db["PASSWORD"] else "")
    controller, _ = smtp_server
    env = clean_env(
        DATABASE_URL=(
            f"postgres://{credentials}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}"
            f"/{db['NAME']}"
        ),
        REDIS_URL=settings.CELERY_BROKER_URL,
        CELERY_QUEUE=queue,
        EMAIL_URL=f"smtp://127.0.0.1:{controller.port}",
        EMAIL_TIMEOUT="10",
        DJANGO_SECRET_KEY=settings.SECRET_KEY,
        SITE_URL="https://fire-governance.example.gov.uk",
        REMINDER_SEND_LEASE_SECONDS=str(LEASE_SECONDS),
        REMINDER_RETRY_BACKOFF_SECONDS="1",
        REMINDER_RETRY_BACKOFF_MAX_SECONDS="2",
    )
    yield env
    _forget_queue(queue)


def _forget_queue(queue: str) -> None:
    """Remove the test queue's keys, and any task a killed worker left unacknowledged."""
    client = redis.Redis.from_url(settings.CELERY_BROKER_URL)
    for key in client.scan_iter(match=f"*{queue}*"):
        client.delete(key)
    for tag, payload in client.hgetall("unacked").items():
        if queue.encode() in payload:
            client.hdel("unacked", tag)
            client.zrem("unacked_index", tag)


@pytest.fixture
def start_worker(portal_env, tmp_path):
    """Start a Celery worker process (solo pool: one task at a time, in the process itself);
    every worker started is stopped when the test ends, killed if it will not stop."""
    workers = []

    def start():
        log = tmp_path / f"worker-{len(workers)}.log"
        process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "celery",
                "-A",
                "portal",
                "worker",
                "--pool=solo",
                f"--queues={portal_env['CELERY_QUEUE']}",
                f"--hostname=reminders-{len(workers)}-{uuid.uuid4().hex[:6]}@%h",
                "--without-heartbeat",
                "--without-gossip",
                "--without-mingle",
                "--loglevel=INFO",
            ],
            cwd=ROOT,
            env=portal_env,
            stdout=log.open("w"),
            stderr=subprocess.STDOUT,
        )
        workers.append((process, log))
        return process, log

    def ready(log):
        wait_until(lambda: " ready." in log.read_text(), message=f"the worker ({log})")

    start.ready = ready
    yield start
    for process, _ in workers:
        if process.poll() is None:
            process.terminate()
    for process, _ in workers:
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=10)


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


def settle(catcher, expected):
    """Wait for `expected` messages, then a little longer so that a duplicate would show."""
    wait_until(lambda: len(catcher.received()) >= expected, message=f"{expected} e-mails")
    time.sleep(1.5)
    return catcher.received()


@committed
def test_a_worker_delivers_each_reminder_once_by_smtp_and_a_rerun_sends_nothing(
    essex, essex_staff, essex_signatory, reviewer, smtp_server, start_worker, scan, portal_env
):
    due_in_seven_working_days(essex)
    _, catcher = smtp_server
    _, log = start_worker()
    start_worker.ready(log)
    # First as the 07:00 beat does it: the scan task, run by the worker.
    call = subprocess.run(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "portal",
            "call",
            "proposals.tasks.scan_reminders",
            f'--args=["{SCAN_DAY}"]',
            f"--queue={portal_env['CELERY_QUEUE']}",
        ],
        cwd=ROOT,
        env=portal_env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert call.returncode == 0, call.stderr
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
        catcher.hold_next()
        scan()
        assert catcher.holding.wait(WAIT_SECONDS), "the worker never reached the mail server"
        os.kill(process.pid, signal.SIGKILL)  # mid-conversation, before the server accepted it
        process.wait(timeout=10)
        assert catcher.cut_off.wait(WAIT_SECONDS)
        delivery = ReminderDelivery.objects.get(stage__proposal=proposal)
        assert delivery.status == "sending"
        process, log = start_worker()
        start_worker.ready(log)
        assert NOTHING_TO_SEND in scan()
        ReminderDelivery.objects.filter(pk=delivery.pk).update(
            claimed_at=F("claimed_at") - timedelta(seconds=LEASE_SECONDS + 1)
        )
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
    "print(Notification.objects.filter(user__username='staff-essex').count())"
)


def test_on_the_embedded_default_a_stage_due_in_7_working_days_is_reminded_once(tmp_path):
    """The issue's "done when", on what `make run` runs: SQLite, the filesystem broker and
    e-mail written to var/mail, with the worker from the Procfile."""
    env = clean_env(DJANGO_DEBUG="true", PORTAL_VAR_DIR=str(tmp_path))
    for command in (["migrate", "--no-input"], ["seed_demo"], ["shell", "-c", DEMO_REMINDER]):
        result = manage(*command, env=env)
        assert result.returncode == 0, result.stderr
    first = manage("send_reminders", "--date", SCAN_DAY, env=env)
    assert "Queued 2 reminders" in first.stdout, first.stderr
    log = tmp_path / "worker.log"
    worker = subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "portal", "worker", "--pool=solo"],
        cwd=ROOT,
        env=env,
        stdout=log.open("w"),
        stderr=subprocess.STDOUT,
    )
    try:
        mail = tmp_path / "mail"
        wait_until(lambda: len(list(mail.glob("*.log"))) >= 2, message="two e-mail files")
        assert NOTHING_TO_SEND in manage("send_reminders", "--date", SCAN_DAY, env=env).stdout
        time.sleep(1.5)
    finally:
        worker.terminate()
        worker.wait(timeout=10)
    files = sorted(mail.glob("*.log"))
    recipients = sorted(
        line.removeprefix("To: ")
        for path in files
        for line in path.read_text().splitlines()
        if line.startswith("To: ")
    )
    assert recipients == ["signatory-essex@example.com", "staff-essex@example.com"]
    assert "Due in 7 working days" in files[0].read_text()
    shown = manage("shell", "--verbosity=0", "-c", COUNT_NOTIFICATIONS, env=env)
    assert shown.stdout.strip() == "1", shown.stderr
