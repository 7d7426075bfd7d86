"""Telling people of hand-offs: the dispatcher the services call, each e-mail's send, the sweep
of unsent ones and the daily digest. Who is told and the words are proposals/messaging.py.

- `messages_dispatch` runs inside the service's transaction: it writes each person's in-app
  notification and, unless they turned that kind of e-mail off, a MessageDelivery row, so both
  commit or vanish with the change. Once the transaction commits it queues one send task per
  e-mail to go now; if the broker is down at that moment nothing is lost: the periodic sweep
  (`messages_enqueue_unfinished`, every few minutes) queues what is still unsent.
- `message_delivery_send` sends one e-mail exactly once (services.notifications.delivery_send).
- `message_digests_send` (daily, 08:00 Europe/London) sends each person one e-mail listing the
  messages they chose to have in a digest, claiming them first so it goes once.
"""

import logging
from dataclasses import dataclass
from datetime import timedelta
from functools import partial

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone

from portal.models import User

from .. import messaging
from ..models import (
    AuditEvent,
    EmailTiming,
    MessageDelivery,
    MessagePreference,
    Notification,
    Proposal,
    Stage,
)
from .notifications import absolute_url, delivery_send, email_send, stage_link

logger = logging.getLogger(__name__)

DIGEST_SUBJECT = "Your daily summary: {count} update{plural} from fire governance proposals"


def _link(*, stage, proposal, pcc) -> str:
    if stage is not None:
        return stage_link(stage)
    if proposal is not None:
        return reverse("proposals:detail", kwargs={"pk": proposal.pk})
    return reverse("proposals:pcc-funding", kwargs={"slug": pcc.slug})


def _email_timings(people, event: str) -> dict:
    """Each person's e-mail timing for `event`: their preference, straight away without one,
    always straight away for messages that cannot be turned off."""
    if not messaging.may_turn_off(event):
        return {}
    return dict(
        MessagePreference.objects.filter(user__in=people, event=event).values_list(
            "user_id", "email"
        )
    )


def messages_dispatch(
    *,
    event: str,
    audit_event: AuditEvent,
    by,
    proposal: Proposal | None = None,
    stage: Stage | None = None,
    pcc=None,
    audiences: tuple[str, ...] | None = None,
    named=(),
    link: str | None = None,
    **words,
) -> messaging.Told:
    """Tell the people messaging.MESSAGES names for `event` about the change `audit_event`
    records: an in-app notification each now, an e-mail each after commit (or in their digest,
    or none, as they chose). Call inside the service's transaction. `audiences` overrides the
    table's (comments, whose audience depends on the author); `words` fill the message's
    placeholders beyond stage, proposal, pcc, actor and reason. `link` overrides the page the
    message opens (for people who cannot open the stage's). Returns who was told.
    """
    message = messaging.MESSAGES[event]
    pcc = pcc or proposal.pcc
    people = messaging.recipients(
        audiences=message.audiences if audiences is None else audiences,
        proposal=proposal,
        pcc=pcc,
        by=by,
        named=named,
    )
    if not people:
        return messaging.Told(event, ())
    context = {
        "stage": messaging.stage_name(stage) if stage is not None else "",
        "proposal": proposal.title if proposal is not None else "",
        "pcc": pcc.name,
        "actor": str(by) if by is not None else "The portal",
        "reason": audit_event.reason,
        **words,
    }
    title, body = message.title.format(**context), message.body.format(**context)
    link = link or _link(stage=stage, proposal=proposal, pcc=pcc)
    notifications = Notification.objects.bulk_create(
        Notification(
            user=person, title=title[:300], body=body, link=link, stage=stage, proposal=proposal
        )
        for person in people
    )
    timings = _email_timings(people, event)
    MessageDelivery.objects.bulk_create(
        MessageDelivery(
            event=event,
            audit_event=audit_event,
            recipient=person,
            notification=notification,
            timing=timings.get(person.pk, EmailTiming.NOW),
        )
        for person, notification in zip(people, notifications, strict=True)
        if person.email and timings.get(person.pk) != EmailTiming.OFF
    )
    # robust: a broker that is down must not fail a change already committed; the sweep
    # sends what this could not queue. (A lambda, not a partial: Django logs its __qualname__.)
    audit_event_id = audit_event.pk
    transaction.on_commit(lambda: _publish_for(audit_event_id), robust=True)
    return messaging.Told(event, tuple(people))


def _publish(delivery_ids: list[int]) -> None:
    from ..tasks import send_message

    if not delivery_ids:
        return
    with send_message.app.producer_or_acquire() as producer:
        for delivery_id in delivery_ids:
            # No waiting on a broker that is down: the sweep sends what this could not queue.
            send_message.apply_async((delivery_id,), producer=producer, retry=False)


def _publish_for(audit_event_id: int) -> None:
    _publish(
        list(
            MessageDelivery.objects.filter(
                audit_event_id=audit_event_id,
                timing=EmailTiming.NOW,
                status=MessageDelivery.Status.PENDING,
            ).values_list("pk", flat=True)
        )
    )


def messages_enqueue_unfinished() -> list[int]:
    """Queue a send for every e-mail to go now that is not yet sent: ones the broker missed,
    ones whose retries gave up, ones claimed by a worker that died (after the lease). Queued
    once the current transaction commits; duplicates are harmless, as a send claims first."""
    stale_before = timezone.now() - timedelta(seconds=settings.REMINDER_SEND_LEASE_SECONDS)
    unfinished = list(
        MessageDelivery.objects.unfinished(stale_before=stale_before)
        .filter(timing=EmailTiming.NOW)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    transaction.on_commit(partial(_publish, unfinished))
    return unfinished


def _message_send(delivery) -> None:
    notification = delivery.notification
    email_send(
        user=delivery.recipient,
        title=notification.title,
        body=notification.body,
        link=notification.link,
        template="emails/message",
    )


def _not_cancelled(delivery) -> None:
    # A hand-off is news whenever it arrives: nothing makes a recorded message unwanted.
    return None


def message_delivery_send(*, delivery_id: int) -> str:
    """Send one message's e-mail unless it has been or is being sent; returns its status."""
    return delivery_send(
        deliveries=MessageDelivery.objects.filter(pk=delivery_id).select_related(
            "notification", "recipient"
        ),
        cancel_reason=_not_cancelled,
        send=_message_send,
        label="Message",
    )


@dataclass(frozen=True)
class DigestItem:
    title: str
    body: str
    url: str


def _digest_send(*, recipient, claimed_at) -> int:
    mine = MessageDelivery.objects.filter(
        recipient=recipient,
        timing=EmailTiming.DIGEST,
        status=MessageDelivery.Status.SENDING,
        claimed_at=claimed_at,
    )
    notifications = list(
        Notification.objects.filter(message_delivery__in=mine).order_by("created_at", "pk")
    )
    count = len(notifications)
    try:
        email_send(
            user=recipient,
            title=DIGEST_SUBJECT.format(count=count, plural="" if count == 1 else "s"),
            body="",
            link=reverse("notifications"),
            template="emails/digest",
            context={
                "items": [
                    DigestItem(item.title, item.body, absolute_url(item.link))
                    for item in notifications
                ]
            },
        )
    except Exception:
        mine.update(status=MessageDelivery.Status.PENDING)
        raise
    mine.update(status=MessageDelivery.Status.SENT, sent_at=timezone.now())
    return count


def message_digests_send() -> int:
    """Send each person with digest messages waiting one e-mail listing them all; returns how
    many e-mails went. Each person's waiting rows are claimed in one conditional UPDATE first,
    so a second run, or a second beat at the same moment, finds nothing to send."""
    stale_before = timezone.now() - timedelta(seconds=settings.REMINDER_SEND_LEASE_SECONDS)
    waiting = MessageDelivery.objects.unfinished(stale_before=stale_before).filter(
        timing=EmailTiming.DIGEST
    )
    sent = 0
    for recipient_id in sorted(set(waiting.values_list("recipient_id", flat=True))):
        claimed_at = timezone.now()
        claimed = waiting.filter(recipient_id=recipient_id).update(
            status=MessageDelivery.Status.SENDING, claimed_at=claimed_at, attempts=F("attempts") + 1
        )
        if claimed:
            _digest_send(recipient=User.objects.get(pk=recipient_id), claimed_at=claimed_at)
            sent += 1
    return sent
