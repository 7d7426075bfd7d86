"""A worker killed mid-send: its reminder goes out at the next re-queue, minutes later, not at
the next daily scan (issue 11: "up to a day late, by which time it is superseded")."""

import pytest
from django_celery_beat.models import PeriodicTask

from proposals import tasks

from ..test_reminder_delivery import (
    committed,
    due_in_seven_working_days,
    kill_the_send_mid_conversation,
    let_the_lease_pass,
)
from ..workers import celery_call, settle

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
    delivery = kill_the_send_mid_conversation(
        proposal=proposal, catcher=catcher, worker=process, scan=scan
    )
    _, log = start_worker()
    start_worker.ready(log)
    let_the_lease_pass(delivery)
    celery_call("proposals.tasks.requeue_reminders", portal_env)
    messages = settle(catcher, 1)
    # And a second re-queue finds nothing left to send.
    celery_call("proposals.tasks.requeue_reminders", portal_env)
    assert settle(catcher, 1) == messages
    assert [str(message["To"]) for message in messages] == [essex_staff.email]
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts) == ("sent", 2)
