"""Reminder deliveries and notifications, and the daily 07:00 scan as a django-celery-beat
schedule (editable in admin)."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

SCAN_TASK_NAME = "Send the reminders due today"


def schedule(apps, schema_editor):
    CrontabSchedule = apps.get_model("django_celery_beat", "CrontabSchedule")
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    crontab, _ = CrontabSchedule.objects.get_or_create(
        minute="0",
        hour="7",
        day_of_week="*",
        day_of_month="*",
        month_of_year="*",
        timezone="Europe/London",
    )
    PeriodicTask.objects.update_or_create(
        name=SCAN_TASK_NAME,
        defaults={"task": "proposals.tasks.scan_reminders", "crontab": crontab},
    )


def unschedule(apps, schema_editor):
    apps.get_model("django_celery_beat", "PeriodicTask").objects.filter(
        name=SCAN_TASK_NAME
    ).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("proposals", "0007_date_order_constraints"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="ReminderDelivery",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("created_at", models.DateTimeField(auto_now_add=True)),
                ("updated_at", models.DateTimeField(auto_now=True)),
                (
                    "due_date",
                    models.DateField(
                        help_text="The deadline reminded of: the stage's due date, or the review target date."
                    ),
                ),
                (
                    "kind",
                    models.CharField(
                        help_text="e.g. before_7, due, overdue_2, review_1", max_length=20
                    ),
                ),
                ("milestone_on", models.DateField(help_text="The day this reminder fell due.")),
                (
                    "scheduled_on",
                    models.DateField(help_text="The day of the scan that recorded it."),
                ),
                (
                    "status",
                    models.CharField(
                        choices=[
                            ("pending", "Waiting to be sent"),
                            ("sending", "Being sent"),
                            ("sent", "Sent"),
                            ("cancelled", "No longer needed"),
                            ("failed", "Refused by the mail server"),
                        ],
                        default="pending",
                        max_length=10,
                    ),
                ),
                ("claimed_at", models.DateTimeField(blank=True, null=True)),
                ("sent_at", models.DateTimeField(blank=True, null=True)),
                ("attempts", models.PositiveSmallIntegerField(default=0)),
                ("last_error", models.TextField(blank=True)),
                (
                    "recipient",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="reminder_deliveries",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                (
                    "stage",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="reminder_deliveries",
                        to="proposals.stage",
                    ),
                ),
            ],
            options={
                "verbose_name_plural": "reminder deliveries",
                "ordering": ["-milestone_on", "-pk"],
            },
        ),
        migrations.CreateModel(
            name="Notification",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("created_at", models.DateTimeField(auto_now_add=True)),
                ("updated_at", models.DateTimeField(auto_now=True)),
                ("title", models.CharField(max_length=300)),
                ("body", models.TextField(blank=True)),
                (
                    "link",
                    models.CharField(blank=True, help_text="A page of the portal.", max_length=500),
                ),
                ("read_at", models.DateTimeField(blank=True, null=True)),
                (
                    "stage",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="notifications",
                        to="proposals.stage",
                    ),
                ),
                (
                    "user",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="notifications",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                (
                    "delivery",
                    models.OneToOneField(
                        blank=True,
                        help_text="The reminder that made it: a retried send finds it and makes no second one.",
                        null=True,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="notification",
                        to="proposals.reminderdelivery",
                    ),
                ),
            ],
            options={
                "ordering": ["-created_at", "-pk"],
            },
        ),
        migrations.AddIndex(
            model_name="reminderdelivery",
            index=models.Index(
                condition=models.Q(("status__in", ["pending", "sending"])),
                fields=["status", "claimed_at"],
                name="reminder_unfinished_idx",
            ),
        ),
        migrations.AddConstraint(
            model_name="reminderdelivery",
            constraint=models.UniqueConstraint(
                fields=("stage", "due_date", "kind", "recipient"),
                name="one_reminder_per_deadline_kind_recipient",
            ),
        ),
        migrations.AddConstraint(
            model_name="reminderdelivery",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    models.Q(("status", "sending"), _negated=True),
                    ("claimed_at__isnull", False),
                    _connector="OR",
                ),
                name="reminder_sending_is_claimed",
            ),
        ),
        migrations.AddConstraint(
            model_name="reminderdelivery",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    models.Q(("status", "sent"), _negated=True),
                    ("sent_at__isnull", False),
                    _connector="OR",
                ),
                name="reminder_sent_has_time",
            ),
        ),
        migrations.AddIndex(
            model_name="notification",
            index=models.Index(fields=["user", "-created_at"], name="notification_user_time_idx"),
        ),
        migrations.AddIndex(
            model_name="notification",
            index=models.Index(
                condition=models.Q(("read_at__isnull", True)),
                fields=["user"],
                name="notification_unread_idx",
            ),
        ),
        migrations.RunPython(schedule, unschedule),
    ]
