"""What people are told: in-app notifications, and each reminder's delivery (DESIGN.md s.5).

The reminder policy (when, who, which kind) is in proposals/reminders.py; the sending is in
proposals/services/reminders.py and proposals/services/notifications.py.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q

from .base import TimeStampedModel
from .proposal import Stage


class ReminderDeliveryQuerySet(models.QuerySet):
    def unfinished(self, *, stale_before):
        """Waiting to be sent, or claimed by a send that has not finished since `stale_before`
        (its worker died): what a scan hands to the workers again."""
        return self.filter(
            Q(status=ReminderDelivery.Status.PENDING)
            | Q(status=ReminderDelivery.Status.SENDING, claimed_at__lt=stale_before)
        )


class ReminderDelivery(TimeStampedModel):
    """One reminder to one person about one deadline: the unit that is sent exactly once.

    Unique on (stage, due date, kind, recipient): a rerun, a second beat or a retry finds the
    row already there. A send claims the row (pending -> sending) before it talks to the mail
    server and marks it sent after, so two workers never both send it.
    """

    class Status(models.TextChoices):
        PENDING = "pending", "Waiting to be sent"
        SENDING = "sending", "Being sent"
        SENT = "sent", "Sent"
        CANCELLED = "cancelled", "No longer needed"
        FAILED = "failed", "Refused by the mail server"

    stage = models.ForeignKey(Stage, on_delete=models.CASCADE, related_name="reminder_deliveries")
    due_date = models.DateField(
        help_text="The deadline reminded of: the stage's due date, or the review target date."
    )
    kind = models.CharField(max_length=20, help_text="e.g. before_7, due, overdue_2, review_1")
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="reminder_deliveries"
    )
    milestone_on = models.DateField(help_text="The day this reminder fell due.")
    scheduled_on = models.DateField(help_text="The day of the scan that recorded it.")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    claimed_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.TextField(blank=True)

    objects = ReminderDeliveryQuerySet.as_manager()

    class Meta:
        ordering = ["-milestone_on", "-pk"]
        verbose_name_plural = "reminder deliveries"
        constraints = [
            models.UniqueConstraint(
                fields=["stage", "due_date", "kind", "recipient"],
                name="one_reminder_per_deadline_kind_recipient",
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
    def for_user(self, user):
        return self.filter(user=user)

    def unread(self):
        return self.filter(read_at__isnull=True)


class Notification(TimeStampedModel):
    """A message shown in the portal to one person; every reminder also makes one."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    title = models.CharField(max_length=300)
    body = models.TextField(blank=True)
    link = models.CharField(max_length=500, blank=True, help_text="A page of the portal.")
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

    @property
    def is_read(self) -> bool:
        return self.read_at is not None
