"""Business case revisions are immutable: the database refuses to change or delete them."""

from django.db import migrations

from proposals.append_only import make_append_only


class Migration(migrations.Migration):
    dependencies = [("proposals", "0004_workflow")]

    operations = [make_append_only("proposals_businesscaserevision", "proposals_dutyevidence")]
