"""Issue 16: audit events say how a change came when not through the pages (the API, a token)."""

from django.db import migrations, models

from proposals.append_only import keep_append_only_on_sqlite


class Migration(migrations.Migration):
    dependencies = [
        ("proposals", "0021_reminder_subjects_and_document_kinds"),
    ]

    operations = [
        migrations.AddField(
            model_name="auditevent",
            name="via",
            field=models.CharField(
                blank=True,
                help_text="How the change came, when not through the pages: e.g. API token “Tracker”.",
                max_length=200,
            ),
        ),
        keep_append_only_on_sqlite("proposals_auditevent"),
    ]
