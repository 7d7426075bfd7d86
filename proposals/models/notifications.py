"""What people are told: in-app notifications, each reminder's delivery (DESIGN.md s.5), each
workflow message's e-mail, and each person's e-mail preference per kind of message.

The reminder policy (when, who, which kind) is in proposals/reminders.py; the message table
(which event tells whom, in which words) in proposals/messaging.py; the sending is in
proposals/services/reminders.py, proposals/services/messages.py and
proposals/services/notifications.py.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q

from .. import unread_counts
from .base import TimeStampedModel
from .choices import EmailTiming, MessageEvent
from .implementation import ChecklistItem
from .proposal import Proposal, Stage
from .records import AuditEvent


class DeliveryQuerySet(models.QuerySet):
    def unfinished(self, *, stale_before):
        """Waiting to be sent, or claimed by a send that has not finished since `stale_before`
        (its worker died): what a scan or sweep hands to the workers again."""
        return self.filter(
            Q(status=Delivery.Status.PENDING)
            | Q(status=Delivery.Status.SENDING, claimed_at__lt=stale_before)
        )


class Delivery(TimeStampedModel):
    """One e-mail to one person, sent exactly once: a send claims the row (pending -> sending)
    before it talks to the mail server and marks it sent after, so two workers never both send
    it (services.notifications.delivery_send)."""

    class Status(models.TextChoices):
        PENDING = "pending", "Waiting to be sent"
        SENDING = "sending", "Being sent"
        SENT = "sent", "Sent"
        CANCELLED = "cancelled", "No longer needed"
        FAILED = "failed", "Refused by the mail server"

    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    claimed_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.TextField(blank=True)

    objects = DeliveryQuerySet.as_manager()

    class Meta:
        abstract = True


class ReminderDelivery(Delivery):
    """One reminder to one person about one deadline: the unit that is sent exactly once.

    About exactly one subject: a stage's deadline, an item of the implementation checklist after
    the order, or a collaboration agreement's review date. Unique on (subject, due date, kind,
    recipient): a rerun, a second beat or a retry finds the row already there.
    """

    stage = models.ForeignKey(
        Stage, on_delete=models.CASCADE, null=True, blank=True, related_name="reminder_deliveries"
    )
    checklist_item = models.ForeignKey(
        ChecklistItem,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="reminder_deliveries",
    )
    # Issue 14: a collaboration agreement's review date is reminded of too (reminders.py s.7).
    agreement = models.ForeignKey(
        "CollaborationAgreement",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="reminder_deliveries",
    )
    due_date = models.DateField(
        help_text="The deadline reminded of: the stage's or checklist item's due date, or the "
        "review target date."
    )
    kind = models.CharField(max_length=20, help_text="e.g. before_7, due, overdue_2, review_1")
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="reminder_deliveries"
    )
    milestone_on = models.DateField(help_text="The day this reminder fell due.")
    scheduled_on = models.DateField(help_text="The day of the scan that recorded it.")

    class Meta:
        ordering = ["-milestone_on", "-pk"]
        verbose_name_plural = "reminder deliveries"
        constraints = [
            models.UniqueConstraint(
                fields=["stage", "due_date", "kind", "recipient"],
                name="one_reminder_per_deadline_kind_recipient",
            ),
            models.UniqueConstraint(
                fields=["checklist_item", "due_date", "kind", "recipient"],
                name="one_checklist_reminder_per_deadline_kind_recipient",
            ),
            models.UniqueConstraint(
                fields=["agreement", "due_date", "kind", "recipient"],
                name="one_review_reminder_per_agreement_date_kind_recipient",
            ),
            models.CheckConstraint(
                name="reminder_about_one_subject",
                condition=Q(
                    stage__isnull=False, checklist_item__isnull=True, agreement__isnull=True
                )
                | Q(stage__isnull=True, checklist_item__isnull=False, agreement__isnull=True)
                | Q(stage__isnull=True, checklist_item__isnull=True, agreement__isnull=False),
            ),
            models.CheckConstraint(
                name="reminder_sending_is_claimed",
                condition=~Q(status="sending") | Q(claimed_at__isnull=False),
            ),
            models.CheckConstraint(
                name="reminder_sent_has_time",
                condition=~Q(status="sent") | Q(sent_at__isnull=False),
            ),
        ]
        indexes = [
            # The scan's sweep reads only unfinished rows, a handful among many sent ones.
            models.Index(
                fields=["status", "claimed_at"],
                condition=Q(status__in=["pending", "sending"]),
                name="reminder_unfinished_idx",
            ),
        ]

    def __str__(self):
        return f"{self.kind} for {self.due_date:%Y-%m-%d} to user {self.recipient_id}"


class NotificationQuerySet(models.QuerySet):
    """Every write through it forgets the cached unread counts of the people it touches."""

    def bulk_create(self, objs, *args, **kwargs):
        created = super().bulk_create(objs, *args, **kwargs)
        unread_counts.forget(notification.user_id for notification in created)
        return created

    def update(self, **kwargs):
        user_ids = list(self.values_list("user_id", flat=True).distinct())
        updated = super().update(**kwargs)
        unread_counts.forget(user_ids)
        return updated

    def for_user(self, user):
        return self.filter(user=user)

    def unread(self):
        return self.filter(read_at__isnull=True)

    def about_pcc(self, pcc_id: int):
        """About that PCC's proposals, or, for its own people, about nothing in particular
        (funding): what its page shows, never another PCC's news."""
        return self.filter(
            models.Q(proposal__pcc_id=pcc_id) | models.Q(proposal__isnull=True, user__pcc_id=pcc_id)
        )


class Notification(TimeStampedModel):
    """A message shown in the portal to one person; every reminder also makes one."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    title = models.CharField(max_length=300)
    body = models.TextField(blank=True)
    link = models.CharField(max_length=500, blank=True, help_text="A page of the portal.")
    proposal = models.ForeignKey(
        Proposal,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="notifications",
        help_text="What the notifications page groups it under.",
    )
    stage = models.ForeignKey(
        Stage, on_delete=models.CASCADE, null=True, blank=True, related_name="notifications"
    )
    delivery = models.OneToOneField(
        ReminderDelivery,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="notification",
        help_text="The reminder that made it: a retried send finds it and makes no second one.",
    )
    read_at = models.DateTimeField(null=True, blank=True)

    objects = NotificationQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["user", "-created_at"], name="notification_user_time_idx"),
            models.Index(
                fields=["user"], condition=Q(read_at__isnull=True), name="notification_unread_idx"
            ),
        ]

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        super().save(*args, **kwargs)
        unread_counts.forget([self.user_id])

    def delete(self, *args, **kwargs):
        deleted = super().delete(*args, **kwargs)
        unread_counts.forget([self.user_id])
        return deleted

    @property
    def is_read(self) -> bool:
        return self.read_at is not None


class MessageDelivery(Delivery):
    """The e-mail of one workflow message to one person: the unit sent exactly once.

    Written in the same transaction as the change it tells of (with the in-app notification it
    mails), so a message is never lost when the broker is down at that moment: the periodic
    sweep sends what is unsent. Unique on (event, audit event, recipient). A digest delivery
    waits for the recipient's daily digest instead of going straight away.
    """

    event = models.CharField(max_length=30, choices=MessageEvent.choices)
    audit_event = models.ForeignKey(
        AuditEvent,
        on_delete=models.PROTECT,
        related_name="message_deliveries",
        help_text="The change told of: who, when, what, why.",
    )
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="message_deliveries"
    )
    notification = models.OneToOneField(
        Notification,
        on_delete=models.CASCADE,
        related_name="message_delivery",
        help_text="The in-app notification, made with it: the e-mail says what it says.",
    )
    timing = models.CharField(
        max_length=10,
        choices=[(EmailTiming.NOW, EmailTiming.NOW.label), (EmailTiming.DIGEST, "In the digest")],
        default=EmailTiming.NOW,
    )

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name_plural = "message deliveries"
        constraints = [
            models.UniqueConstraint(
                fields=["event", "audit_event", "recipient"],
                name="one_message_per_event_recipient",
            ),
            models.CheckConstraint(
                name="message_sending_is_claimed",
                condition=~Q(status="sending") | Q(claimed_at__isnull=False),
            ),
            models.CheckConstraint(
                name="message_sent_has_time",
                condition=~Q(status="sent") | Q(sent_at__isnull=False),
            ),
        ]
        indexes = [
            models.Index(
                fields=["timing", "status", "claimed_at"],
                condition=Q(status__in=["pending", "sending"]),
                name="message_unfinished_idx",
            ),
        ]

    def __str__(self):
        return f"{self.event} to user {self.recipient_id}"


class MessagePreference(TimeStampedModel):
    """How one person wants one kind of message by e-mail (no row: straight away)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="message_preferences"
    )
    event = models.CharField(max_length=30, choices=MessageEvent.choices)
    email = models.CharField(max_length=10, choices=EmailTiming.choices)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "event"], name="one_preference_per_event"),
        ]

    def __str__(self):
        return f"{self.event}: {self.email}"
