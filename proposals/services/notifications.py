"""Telling people things: the one dispatcher that notifies in the portal and by e-mail, reading
notifications, and each person's reminder preference."""

import smtplib

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import InterfaceError, OperationalError
from django.db.models import QuerySet
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from ..models import Notification, ReminderDelivery, Stage


def stage_link(stage: Stage) -> str:
    """The stage's page, as a path within the portal."""
    return reverse("proposals:stage", kwargs={"pk": stage.proposal_id, "step": stage.step_slug})


def absolute_url(path: str) -> str:
    """A portal path as a full address for e-mails, which are read outside the portal."""
    return settings.SITE_URL.rstrip("/") + path


def notification_send(
    *,
    user,
    title: str,
    body: str,
    link: str,
    email_template: str,
    email_context: dict | None = None,
    stage: Stage | None = None,
    delivery: ReminderDelivery | None = None,
) -> Notification:
    """Tell `user` something: an in-app notification, then an e-mail (plain text and HTML,
    from `email_template` + ".txt" and ".html").

    With a `delivery`, the notification is made once for it, so a retried send adds no second
    one. The e-mail goes through Django's e-mail backend (SMTP from EMAIL_URL; files under
    var/mail on the embedded default); its errors are raised for the caller to retry or record.
    People without an e-mail address are told in the portal only.
    """
    values = {"user": user, "title": title, "body": body, "link": link, "stage": stage}
    if delivery is None:
        notification = Notification.objects.create(**values)
    else:
        notification, _ = Notification.objects.get_or_create(delivery=delivery, defaults=values)
    if user.email:
        email_send(
            user=user,
            title=title,
            body=body,
            url=absolute_url(link),
            email_template=email_template,
            email_context=email_context,
        )
    return notification


def email_send(
    *, user, title: str, body: str, url: str, email_template: str, email_context: dict | None
) -> None:
    """E-mail `user` (plain text and HTML, from `email_template` + ".txt" and ".html") through
    Django's e-mail backend; errors are raised for the caller to retry or report."""
    context = {
        "user": user,
        "title": title,
        "body": body,
        "url": url,
        "preferences_url": absolute_url(reverse("preferences")),
        **(email_context or {}),
    }
    message = EmailMultiAlternatives(
        subject=title,
        body=render_to_string(f"{email_template}.txt", context),
        to=[user.email],
    )
    message.attach_alternative(render_to_string(f"{email_template}.html", context), "text/html")
    message.send()


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
    """The person's notifications, newest first."""
    return Notification.objects.for_user(user).order_by("-created_at", "-pk")


def notifications_unread_count(*, user) -> int:
    return Notification.objects.for_user(user).unread().count()


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


def user_reminder_preferences_update(*, user, early_reminders: bool):
    """Switch the early (before and on the due date) reminders on or off for `user`.

    Overdue and review reminders are not affected: they always go.
    """
    user.early_reminders = early_reminders
    user.save(update_fields=["early_reminders"])
    return user
