"""Issue 9: a decision stage completed with a rejection is "rejected", not "approved"."""

import django_fsm
from django.db import migrations, models


def rejected_decisions_read_rejected(apps, schema_editor):
    Stage = apps.get_model("proposals", "Stage")
    Stage.objects.filter(step=5, status="approved", proposal__decision__outcome="rejected").update(
        status="rejected"
    )


def rejected_decisions_read_approved(apps, schema_editor):
    Stage = apps.get_model("proposals", "Stage")
    Stage.objects.filter(status="rejected").update(status="approved")


class Migration(migrations.Migration):
    dependencies = [
        ("proposals", "0008_reminders"),
    ]

    operations = [
        migrations.AlterField(
            model_name="stage",
            name="status",
            field=django_fsm.FSMField(
                choices=[
                    ("not_started", "Not started"),
                    ("in_progress", "In progress"),
                    ("submitted", "Submitted"),
                    ("returned", "Returned"),
                    ("approved", "Approved"),
                    ("skipped", "Skipped"),
                    ("rejected", "Rejected"),
                ],
                default="not_started",
                max_length=50,
                protected=True,
            ),
        ),
        migrations.AddConstraint(
            model_name="stage",
            constraint=models.CheckConstraint(
                condition=models.Q(("status", "rejected"), _negated=True) | models.Q(step=5),
                name="only_decision_rejected",
            ),
        ),
        migrations.RunPython(rejected_decisions_read_rejected, rejected_decisions_read_approved),
    ]
