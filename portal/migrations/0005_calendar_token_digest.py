"""Calendar addresses' tokens are kept as a SHA-256 digest, not in the clear (issue 10).

Existing addresses keep working: each token's digest and key are computed from it before the
token itself is dropped. The portal can no longer show those addresses; the calendar and
preferences pages tell people to get a new address if they need to see one.
"""

import hashlib

from django.db import migrations, models

KEY_LENGTH = 8  # as proposals.services.calendar.KEY_LENGTH when this was written


def digest_existing_tokens(apps, schema_editor):
    User = apps.get_model("portal", "User")
    for user in User.objects.exclude(calendar_token=None).only("calendar_token"):
        token = user.calendar_token
        user.calendar_token_key = token[:KEY_LENGTH]
        user.calendar_token_digest = hashlib.sha256(token.encode()).hexdigest()
        user.save(update_fields=["calendar_token_key", "calendar_token_digest"])


class Migration(migrations.Migration):
    dependencies = [
        ("portal", "0004_i10_signin_admins_and_enrolment_links"),
    ]

    operations = [
        migrations.AddField(
            model_name="user",
            name="calendar_token_digest",
            field=models.CharField(
                blank=True,
                default="",
                help_text="SHA-256 of the calendar address's secret; empty when the calendar is off.",
                max_length=64,
            ),
        ),
        migrations.AddField(
            model_name="user",
            name="calendar_token_key",
            field=models.CharField(blank=True, db_index=True, default="", max_length=8),
        ),
        migrations.AddField(
            model_name="user",
            name="calendar_token_last_used_on",
            field=models.DateField(blank=True, null=True),
        ),
        # Going back cannot recover a token from its digest: calendars are simply off again.
        migrations.RunPython(digest_existing_tokens, migrations.RunPython.noop),
        migrations.RemoveField(model_name="user", name="calendar_token"),
    ]
