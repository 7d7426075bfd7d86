"""Database triggers that refuse UPDATE, DELETE and TRUNCATE on tables whose rows are history.

Used by migrations; the SQL differs between PostgreSQL (production, tests) and SQLite (demo,
which has no TRUNCATE: its DELETE trigger covers emptying a table).
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


def _truncate_forward(vendor: str, table: str) -> list[str]:
    # A superuser can drop any trigger, so refusing one protects nothing; letting a superuser's
    # TRUNCATE through is what lets test databases be emptied between tests. The portal itself
    # connects as a role that is not one (docker-compose.yml, deploy/postgres/).
    message = MESSAGE.format(table=table)
    if vendor != "postgresql":
        return []
    return [
        f"""CREATE FUNCTION {table}_no_truncate() RETURNS trigger AS $$
            BEGIN
                IF NOT (SELECT rolsuper FROM pg_roles WHERE rolname = current_user) THEN
                    RAISE EXCEPTION '{message}';
                END IF;
                RETURN NULL;
            END; $$ LANGUAGE plpgsql""",
        f"""CREATE TRIGGER {table}_no_truncate BEFORE TRUNCATE ON {table}
            FOR EACH STATEMENT EXECUTE FUNCTION {table}_no_truncate()""",
    ]


def _truncate_backward(vendor: str, table: str) -> list[str]:
    if vendor != "postgresql":
        return []
    return [
        f"DROP TRIGGER {table}_no_truncate ON {table}",
        f"DROP FUNCTION {table}_no_truncate()",
    ]


def _operation(tables, forward, backward) -> migrations.RunPython:
    def run(statements):
        def apply(apps, schema_editor):
            for table in tables:
                for sql in statements(schema_editor.connection.vendor, table):
                    schema_editor.execute(sql)

        return apply

    return migrations.RunPython(run(forward), run(backward))


def make_append_only(*tables: str) -> migrations.RunPython:
    """A migration operation that makes `tables` refuse UPDATE and DELETE (and can undo it)."""
    return _operation(tables, _forward, _backward)


def refuse_truncate(*tables: str) -> migrations.RunPython:
    """A migration operation that makes `tables` refuse TRUNCATE too (and can undo it)."""
    return _operation(tables, _truncate_forward, _truncate_backward)


def _sqlite_restore(vendor: str, table: str) -> list[str]:
    # SQLite adds a column with a default by rebuilding the table, which drops its triggers.
    if vendor != "sqlite":
        return []
    return [
        *(f"DROP TRIGGER IF EXISTS {table}_no_{event}" for event in ("update", "delete")),
        *_forward(vendor, table),
    ]


def keep_append_only_on_sqlite(*tables: str) -> migrations.RunPython:
    """After a migration that rebuilt `tables` on SQLite: their triggers made again."""
    return _operation(tables, _sqlite_restore, lambda vendor, table: [])
