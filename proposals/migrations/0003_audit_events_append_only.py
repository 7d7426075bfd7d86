"""The database itself refuses to change or delete an audit event, whoever asks."""

from django.db import migrations

from proposals.append_only import make_append_only


class Migration(migrations.Migration):
    dependencies = [("proposals", "0002_reference_data")]

    operations = [make_append_only("proposals_auditevent")]
