"""Every 5 minutes, re-queue reminders that are pending or past their lease (django-celery-beat,
editable in admin), so work left by a broker outage or a killed worker goes out within minutes
rather than at the next daily scan."""

from django.db import migrations

TASK_NAME = "Re-queue unsent reminders"


def schedule(apps, schema_editor):
    IntervalSchedule = apps.get_model("django_celery_beat", "IntervalSchedule")
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    every_five_minutes, _ = IntervalSchedule.objects.get_or_create(every=5, period="minutes")
    PeriodicTask.objects.update_or_create(
        name=TASK_NAME,
        defaults={
            "task": "proposals.tasks.requeue_reminders",
            "interval": every_five_minutes,
            "crontab": None,
        },
    )


def unschedule(apps, schema_editor):
    apps.get_model("django_celery_beat", "PeriodicTask").objects.filter(name=TASK_NAME).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("proposals", "0011_order_checks_and_payment_reversals"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [migrations.RunPython(schedule, unschedule)]
