"""Database triggers that refuse UPDATE and DELETE on tables whose rows are history.

Used by migrations; the SQL differs between PostgreSQL (production, tests) and SQLite (demo).
"""

from django.db import migrations

MESSAGE = "{table} rows are append-only"


def _forward(vendor: str, table: str) -> list[str]:
    message = MESSAGE.format(table=table)
    if vendor == "postgresql":
        return [
            f"""CREATE FUNCTION {table}_append_only() RETURNS trigger AS $$
                BEGIN RAISE EXCEPTION '{message}'; END; $$ LANGUAGE plpgsql""",
            f"""CREATE TRIGGER {table}_append_only BEFORE UPDATE OR DELETE ON {table}
                FOR EACH ROW EXECUTE FUNCTION {table}_append_only()""",
        ]
    if vendor == "sqlite":
        return [
            f"""CREATE TRIGGER {table}_no_{event.lower()} BEFORE {event} ON {table}
                BEGIN SELECT RAISE(ABORT, '{message}'); END"""
            for event in ("UPDATE", "DELETE")
        ]
    return []


def _backward(vendor: str, table: str) -> list[str]:
    if vendor == "postgresql":
        return [
            f"DROP TRIGGER {table}_append_only ON {table}",
            f"DROP FUNCTION {table}_append_only()",
        ]
    if vendor == "sqlite":
        return [f"DROP TRIGGER {table}_no_update", f"DROP TRIGGER {table}_no_delete"]
    return []


def make_append_only(*tables: str) -> migrations.RunPython:
    """A migration operation that makes `tables` append-only (and can undo it)."""

    def run(statements):
        def apply(apps, schema_editor):
            for table in tables:
                for sql in statements(schema_editor.connection.vendor, table):
                    schema_editor.execute(sql)

        return apply

    return migrations.RunPython(run(_forward), run(_backward))
