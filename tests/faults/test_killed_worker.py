"""A worker killed mid-send: its reminder goes out at the next re-queue, minutes later, not at
the next daily scan (issue 11: "up to a day late, by which time it is superseded")."""

import os
import signal
from datetime import timedelta

import pytest
from django.db.models import F
from django_celery_beat.models import PeriodicTask

from proposals import tasks
from proposals.models import ReminderDelivery

from ..test_reminder_delivery import committed, due_in_seven_working_days
from ..workers import LEASE_SECONDS, WAIT_SECONDS, celery_call, settle

pytestmark = pytest.mark.faults


@pytest.mark.django_db
def test_the_beat_re_queues_unsent_reminders_every_five_minutes():
    schedule = PeriodicTask.objects.get(name="Re-queue unsent reminders")
    assert schedule.enabled
    assert (schedule.interval.every, schedule.interval.period) == (5, "minutes")
    assert schedule.task == tasks.requeue_reminders.name


@committed
def test_a_send_killed_mid_way_goes_out_once_at_the_next_re_queue_after_its_lease(
    essex, essex_staff, smtp_server, start_worker, scan, portal_env
):
    _, catcher = smtp_server
    process, log = start_worker()
    start_worker.ready(log)
    (proposal,) = due_in_seven_working_days(essex)
    catcher.hold_next()
    scan()
    assert catcher.holding.wait(WAIT_SECONDS), "the worker never reached the mail server"
    os.kill(process.pid, signal.SIGKILL)  # mid-conversation, before the server accepted it
    process.wait(timeout=10)
    assert catcher.cut_off.wait(WAIT_SECONDS)
    delivery = ReminderDelivery.objects.get(stage__proposal=proposal)
    assert delivery.status == "sending"
    _, log = start_worker()
    start_worker.ready(log)
    # The lease has passed (moved back in the database, not waited for).
    ReminderDelivery.objects.filter(pk=delivery.pk).update(
        claimed_at=F("claimed_at") - timedelta(seconds=LEASE_SECONDS + 1)
    )
    celery_call("proposals.tasks.requeue_reminders", portal_env)
    messages = settle(catcher, 1)
    # And a second re-queue finds nothing left to send.
    celery_call("proposals.tasks.requeue_reminders", portal_env)
    assert settle(catcher, 1) == messages
    assert [str(message["To"]) for message in messages] == [essex_staff.email]
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts) == ("sent", 2)
