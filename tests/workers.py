"""Helpers for the tests that run real Celery workers on Redis against a real SMTP server
(aiosmtpd); their fixtures (smtp_server, portal_env, start_worker) are in conftest.py."""

import asyncio
import email
import subprocess
import sys
import threading
import time
from contextlib import contextmanager
from email.policy import default as default_policy

import pytest
import redis
from django.conf import settings

from .helpers import ROOT

# Longer than any worker's start-up, however busy the machine: a test moves a claim past its
# lease by moving its time back in the database, never by waiting.
LEASE_SECONDS = 600
WAIT_SECONDS = 30


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


def forget_queue(queue: str) -> None:
    """Remove the test queue's keys, and any task a killed worker left unacknowledged."""
    client = redis.Redis.from_url(settings.CELERY_BROKER_URL)
    for key in client.scan_iter(match=f"*{queue}*"):
        client.delete(key)
    for tag, payload in client.hgetall("unacked").items():
        if queue.encode() in payload:
            client.hdel("unacked", tag)
            client.zrem("unacked_index", tag)


def settle(catcher, expected):
    """Wait for `expected` messages, then a little longer so that a duplicate would show."""
    wait_until(lambda: len(catcher.received()) >= expected, message=f"{expected} e-mails")
    time.sleep(1.5)
    return catcher.received()


@contextmanager
def embedded_worker(env: dict, log):
    """A Celery worker as `make run`'s Procfile starts it (the filesystem broker under
    PORTAL_VAR_DIR), stopped when the block ends."""
    worker = subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "portal", "worker", "--pool=solo"],
        cwd=ROOT,
        env=env,
        stdout=log.open("w"),
        stderr=subprocess.STDOUT,
    )
    try:
        yield worker
    finally:
        worker.terminate()
        worker.wait(timeout=10)


def mail_files_to(mail_dir, subject_start: str) -> list[str]:
    """The recipients of the e-mail files under `mail_dir` whose subject starts so, sorted."""
    recipients = []
    for path in sorted(mail_dir.glob("*.log")):
        for message in path.read_text().split("-" * 79):  # how Django's file backend divides
            lines = message.splitlines()
            subject = next((line for line in lines if line.startswith("Subject: ")), "")
            if subject.removeprefix("Subject: ").startswith(subject_start):
                recipients += [
                    line.removeprefix("To: ") for line in lines if line.startswith("To: ")
                ]
    return sorted(recipients)


def celery_call(task: str, env: dict, args: str | None = None) -> None:
    """Queue `task` as the beat does (`celery call`), on the test's own queue."""
    call = subprocess.run(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "portal",
            "call",
            task,
            *([f"--args={args}"] if args else []),
            f"--queue={env['CELERY_QUEUE']}",
        ],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert call.returncode == 0, call.stderr
