"""Telling people things: the one dispatcher that notifies in the portal and by e-mail, reading
notifications, and each person's reminder preference."""

import logging
import smtplib
from datetime import timedelta

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import InterfaceError, OperationalError
from django.db.models import F, QuerySet
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from .. import messaging, unread_counts
from ..models import (
    EmailTiming,
    MessageEvent,
    MessagePreference,
    Notification,
    ReminderDelivery,
    Stage,
)

logger = logging.getLogger(__name__)


def stage_link(stage: Stage) -> str:
    """The stage's page, as a path within the portal."""
    return reverse("proposals:stage", kwargs={"pk": stage.proposal_id, "step": stage.step_slug})


def checklist_link(proposal) -> str:
    """The implementation checklist on the proposal's page, as a path within the portal."""
    return reverse("proposals:detail", kwargs={"pk": proposal.pk}) + "#after-the-order"


def absolute_url(path: str) -> str:
    """A portal path as a full address for e-mails, which are read outside the portal."""
    return settings.SITE_URL.rstrip("/") + path


def email_send(*, user, title: str, body: str, link: str, template: str, context=None) -> None:
    """E-mail `user` (plain text and HTML, from `template` + ".txt" and ".html"), with a link
    to `link`. Through Django's e-mail backend (SMTP from EMAIL_URL; files under var/mail on
    the embedded default); its errors are raised for the caller to retry or record. People
    without an e-mail address are told in the portal only."""
    if not user.email:
        return
    context = {
        "user": user,
        "title": title,
        "body": body,
        "url": absolute_url(link),
        "preferences_url": absolute_url(reverse("preferences")),
        **(context or {}),
    }
    message = EmailMultiAlternatives(
        subject=title, body=render_to_string(f"{template}.txt", context), to=[user.email]
    )
    message.attach_alternative(render_to_string(f"{template}.html", context), "text/html")
    message.send()


def notification_send(
    *,
    user,
    title: str,
    body: str,
    link: str,
    email_template: str,
    email_context: dict | None = None,
    stage: Stage | None = None,
    proposal=None,
    delivery: ReminderDelivery | None = None,
) -> Notification:
    """Tell `user` something: an in-app notification, then an e-mail (email_send). It is
    filed under `stage`'s proposal, or under `proposal` when it is about no stage.

    With a `delivery`, the notification is made once for it, so a retried send adds no second
    one.
    """
    values = {"user": user, "title": title, "body": body, "link": link, "stage": stage}
    if stage is not None:
        values["proposal_id"] = stage.proposal_id
    elif proposal is not None:
        values["proposal_id"] = proposal.pk
    if delivery is None:
        notification = Notification.objects.create(**values)
    else:
        notification, _ = Notification.objects.get_or_create(delivery=delivery, defaults=values)
    email_send(
        user=user,
        title=title,
        body=body,
        link=link,
        template=email_template,
        context=email_context,
    )
    return notification


def delivery_send(*, deliveries: QuerySet, cancel_reason, send, label: str) -> str:
    """Send one recorded e-mail (`deliveries` is its one-row queryset) unless it has been sent,
    is being sent, or `cancel_reason(delivery)` says it is no longer wanted; returns its status
    afterwards. Reminders and workflow messages both go this way.

    Claims the row first (one conditional UPDATE, so only one worker goes on), calls
    `send(delivery)`, then marks the row sent. A transient failure (mail server or database
    unavailable, a 4xx reply) releases the claim and is raised for the task to retry; a
    permanent refusal marks the row failed, the notification staying in the portal.
    """
    status = deliveries.model.Status
    now = timezone.now()
    lease = timedelta(seconds=settings.REMINDER_SEND_LEASE_SECONDS)
    claimed = deliveries.unfinished(stale_before=now - lease).update(
        status=status.SENDING, claimed_at=now, attempts=F("attempts") + 1
    )
    if not claimed:
        return deliveries.values_list("status", flat=True).first() or "missing"
    mine = deliveries.filter(status=status.SENDING, claimed_at=now)
    delivery = deliveries.get()
    reason = cancel_reason(delivery)
    if reason:
        mine.update(status=status.CANCELLED, last_error=reason)
        return status.CANCELLED
    try:
        send(delivery)
    except Exception as error:
        transient = is_transient(error)
        mine.update(
            status=status.PENDING if transient else status.FAILED,
            last_error=f"{type(error).__name__}: {error}"[:2000],
        )
        if transient:
            raise
        logger.exception("%s %s refused for good", label, delivery.pk)
        return status.FAILED
    mine.update(status=status.SENT, sent_at=timezone.now(), last_error="")
    return status.SENT


def is_transient(error: Exception) -> bool:
    """Whether trying again later may succeed: the mail server or the database was unavailable
    or said "try later" (a 4xx reply), as opposed to refusing the message outright (5xx)."""
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        return all(400 <= code < 500 for code, _ in error.recipients.values())
    if isinstance(error, smtplib.SMTPResponseException):
        return 400 <= error.smtp_code < 500
    return isinstance(
        error, smtplib.SMTPServerDisconnected | OSError | OperationalError | InterfaceError
    )


def notifications_for(*, user) -> QuerySet:
    """The person's notifications, newest first, with the proposal each is about."""
    return (
        Notification.objects.for_user(user)
        .select_related("proposal__pcc")
        .order_by("-created_at", "-pk")
    )


def notifications_unread_count(*, user) -> int:
    """How many of the person's notifications are unread (cached: proposals/unread_counts.py)."""
    return unread_counts.unread_count(
        user.pk, lambda: Notification.objects.for_user(user).unread().count()
    )


def notifications_unread_about_pcc(*, user, pcc_id: int, limit: int) -> list[dict]:
    """The person's newest unread notifications about a PCC, for its page (`title`, `link`,
    `created_at`): no query when they have none unread, and kept until one of theirs is added
    or read (proposals/unread_counts.py)."""
    if not notifications_unread_count(user=user):
        return []

    def listed():
        unread = Notification.objects.for_user(user).unread().about_pcc(pcc_id)[:limit]
        return [
            {"title": each.title, "link": each.link, "created_at": each.created_at.isoformat()}
            for each in unread
        ]

    kept = unread_counts.unread_listed(user.pk, f"unread-about-pcc-{pcc_id}", listed)
    return [{**each, "created_at": parse_datetime(each["created_at"])} for each in kept]


def notification_mark_read(*, notification_id: int, user) -> Notification:
    """Mark one of `user`'s notifications as read. Anyone else's raises DoesNotExist (a 404)."""
    notification = Notification.objects.for_user(user).get(pk=notification_id)
    if notification.read_at is None:
        notification.read_at = timezone.now()
        notification.save(update_fields=["read_at", "updated_at"])
    return notification


def notifications_mark_all_read(*, user) -> int:
    """Mark every unread notification of `user` as read; returns how many there were."""
    now = timezone.now()
    return Notification.objects.for_user(user).unread().update(read_at=now, updated_at=now)


def user_message_preferences(*, user) -> dict:
    """{event: e-mail timing} for every kind of message, straight away unless chosen otherwise."""
    chosen = dict(user.message_preferences.values_list("event", "email"))
    return {event: chosen.get(event, EmailTiming.NOW) for event in MessageEvent}


MAY_NOT_TURN_OFF = "Returned stages and sign-off requests are always e-mailed straight away."


def user_preferences_update(*, user, early_reminders: bool, email_timings: dict | None = None):
    """Switch the early (before and on the due date) reminders on or off for `user`, and set
    how each kind of message in `email_timings` ({event: EmailTiming}) reaches them by e-mail.

    Overdue and review reminders always go; so do the e-mails of returned stages and sign-off
    requests (ValueError if asked otherwise).
    """
    email_timings = email_timings or {}
    if not all(messaging.may_turn_off(event) for event in email_timings):
        raise ValueError(MAY_NOT_TURN_OFF)
    user.early_reminders = early_reminders
    user.save(update_fields=["early_reminders"])
    for event, timing in email_timings.items():
        MessagePreference.objects.update_or_create(
            user=user, event=event, defaults={"email": EmailTiming(timing)}
        )
    return user
