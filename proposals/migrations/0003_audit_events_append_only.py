"""The database itself refuses to change or delete an audit event, whoever asks."""

from django.db import migrations

MESSAGE = "audit events are append-only"

FORWARD = {
    "postgresql": [
        f"""CREATE FUNCTION proposals_auditevent_append_only() RETURNS trigger AS $$
            BEGIN RAISE EXCEPTION '{MESSAGE}'; END; $$ LANGUAGE plpgsql""",
        """CREATE TRIGGER proposals_auditevent_append_only
            BEFORE UPDATE OR DELETE ON proposals_auditevent
            FOR EACH ROW EXECUTE FUNCTION proposals_auditevent_append_only()""",
    ],
    "sqlite": [
        f"""CREATE TRIGGER proposals_auditevent_no_update BEFORE UPDATE ON proposals_auditevent
            BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END""",
        f"""CREATE TRIGGER proposals_auditevent_no_delete BEFORE DELETE ON proposals_auditevent
            BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END""",
    ],
}

BACKWARD = {
    "postgresql": [
        "DROP TRIGGER proposals_auditevent_append_only ON proposals_auditevent",
        "DROP FUNCTION proposals_auditevent_append_only()",
    ],
    "sqlite": [
        "DROP TRIGGER proposals_auditevent_no_update",
        "DROP TRIGGER proposals_auditevent_no_delete",
    ],
}


def _run(statements):
    def run(apps, schema_editor):
        for sql in statements.get(schema_editor.connection.vendor, []):
            schema_editor.execute(sql)

    return run


class Migration(migrations.Migration):
    dependencies = [("proposals", "0002_reference_data")]

    operations = [migrations.RunPython(_run(FORWARD), _run(BACKWARD))]
