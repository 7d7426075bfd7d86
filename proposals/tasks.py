"""Celery tasks: thin wrappers that call one service and own their retries."""

import logging
import time
from datetime import date

from celery import shared_task
from celery.utils.time import get_exponential_backoff_interval
from django.conf import settings
from django.db import InterfaceError, OperationalError

from .services.accounts import account_notice_send
from .services.messages import (
    message_delivery_send,
    message_digests_send,
    messages_enqueue_unfinished,
)
from .services.notifications import is_transient
from .services.reminders import (
    reminder_delivery_send,
    reminders_enqueue_unfinished,
    reminders_scan,
)
from .services.workflow import proposals_transfer_due

logger = logging.getLogger(__name__)


@shared_task(acks_late=True, autoretry_for=(Exception,), retry_backoff=True, max_retries=5)
def transfer_due_proposals() -> int:
    """Daily: proposals whose order's transfer date has come show as transferred."""
    return proposals_transfer_due()


@shared_task(
    acks_late=True,
    autoretry_for=(OperationalError, InterfaceError),
    retry_backoff=True,
    max_retries=5,
)
def scan_reminders(today: str | None = None) -> int:
    """Daily at 07:00 Europe/London (beat): record the reminders due and queue their sends.

    Safe to run twice or on two beats at once: deliveries are unique and sends claim them.
    """
    result = reminders_scan(today=date.fromisoformat(today) if today else None)
    return len(result.to_send)


@shared_task(acks_late=True)
def requeue_reminders() -> int:
    """Every 5 minutes (beat): queue again the reminders that are pending (recorded while the
    broker was down, or given up after their retries) or claimed past their lease (their
    worker died), so they go out within minutes. A send claims its row first, so one queued
    twice is still sent once. A failed run is simply the next one's work."""
    return len(reminders_enqueue_unfinished())


def _send_or_retry(task, send, delivery_id: int) -> str:
    """Run one send; after a transient failure (mail server or database unavailable), retry
    with exponential backoff. One still unsent after the last retry is queued again later."""
    try:
        return send(delivery_id=delivery_id)
    except Exception as error:
        if not is_transient(error):
            raise
        raise task.retry(
            exc=error,
            max_retries=settings.REMINDER_SEND_MAX_RETRIES,
            countdown=get_exponential_backoff_interval(
                factor=settings.REMINDER_RETRY_BACKOFF_SECONDS,
                retries=task.request.retries,
                maximum=settings.REMINDER_RETRY_BACKOFF_MAX_SECONDS,
                full_jitter=True,
            ),
        ) from error


#: Sends are killed well within the lease, so a send still running is never claimed twice.
SEND_TIME_LIMIT = max(1, settings.REMINDER_SEND_LEASE_SECONDS // 2)


@shared_task(bind=True, acks_late=True, time_limit=SEND_TIME_LIMIT)
def send_reminder(self, delivery_id: int) -> str:
    """Send one reminder whose send in a chunk failed for a moment (retried; the re-queue,
    every 5 minutes, queues it again if it gives up)."""
    return _send_or_retry(self, reminder_delivery_send, delivery_id)


@shared_task(acks_late=True, time_limit=SEND_TIME_LIMIT)
def send_reminders(delivery_ids: list[int]) -> int:
    """Send a chunk of reminders one after another; returns how many were tried.

    Each send claims its own row, so the guarantees are one reminder's: a send that fails for
    a moment goes on alone as `send_reminder` (with its retries) and the chunk carries on. The
    whole task is killed at half the lease, like a single send, so no claim it made outlives
    its lease; it stops claiming at a quarter of the lease and queues the rest as a new chunk.
    """
    started = time.monotonic()
    for position, delivery_id in enumerate(delivery_ids):
        if time.monotonic() - started > SEND_TIME_LIMIT / 2:
            send_reminders.delay(delivery_ids[position:])
            return position
        try:
            reminder_delivery_send(delivery_id=delivery_id)
        except Exception as error:
            if is_transient(error):
                send_reminder.apply_async(
                    (delivery_id,),
                    countdown=get_exponential_backoff_interval(
                        factor=settings.REMINDER_RETRY_BACKOFF_SECONDS,
                        retries=0,
                        maximum=settings.REMINDER_RETRY_BACKOFF_MAX_SECONDS,
                        full_jitter=True,
                    ),
                )
            else:
                # Left for the re-queue (pending) or the lease (claimed); the rest go on.
                logger.exception("Reminder %s not sent", delivery_id)
    return len(delivery_ids)


@shared_task(bind=True, acks_late=True, time_limit=SEND_TIME_LIMIT)
def send_message(self, delivery_id: int) -> str:
    """Send one hand-off message's e-mail (retried; the sweep queues it again if it gives up)."""
    return _send_or_retry(self, message_delivery_send, delivery_id)


@shared_task(
    acks_late=True,
    autoretry_for=(OperationalError, InterfaceError),
    retry_backoff=True,
    max_retries=5,
)
def sweep_messages() -> int:
    """Every few minutes (beat): queue the hand-off e-mails still unsent, such as those
    written while the broker was down."""
    return len(messages_enqueue_unfinished())


@shared_task(acks_late=True, autoretry_for=(Exception,), retry_backoff=True, max_retries=5)
def send_message_digests() -> int:
    """Daily at 08:00 Europe/London (beat): each person's digest of the day's messages, once."""
    return message_digests_send()


@shared_task(acks_late=True, autoretry_for=(Exception,), retry_backoff=True, max_retries=8)
def send_account_notice(user_id: int, title: str, body: str, page: str = "two_factor") -> None:
    """Tell an account's owner that an authenticator app or an API token was added or removed."""
    account_notice_send(user_id=user_id, title=title, body=body, page=page)
