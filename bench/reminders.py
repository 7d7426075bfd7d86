"""Benchmark of the daily reminder scan: 10,000 then 100,000 open stages with due dates.

    python bench/reminders.py            (make bench)

Makes a scratch PostgreSQL database next to DATABASE_URL's (default
postgres://postgres@127.0.0.1:5432/postgres), migrates it, loads proposals whose current stage
is open with a due date spread over the 60 days past and the year ahead (plus some submitted
stages waiting for review), and times the first scan of a day (every reminder due, the
catch-up case), then the next day's. "scan" records the deliveries (the policy and one insert);
"enqueue" reads the unfinished deliveries and queues one send task each, to a queue of the
bench's own on REDIS_URL (Celery's in-memory transport when REDIS_URL is not set), deleted
afterwards. Queries are counted with CaptureQueriesContext. The database is dropped at the end.
"""

import os
import sys
import time
import uuid
from datetime import timedelta
from pathlib import Path

import environ
import psycopg2
from psycopg2 import sql

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

BENCH_DATABASE = os.environ.get("BENCH_REMINDERS_DATABASE", "fire_governance_bench_reminders")
SIZES = (10_000, 100_000)
SUBMITTED_SHARE = 20  # one proposal in 20 more has a stage waiting for review
DUE_DAYS_PAST, DUE_DAYS_AHEAD = 60, 365
BATCH = 10_000


def scratch_database() -> tuple[dict, str]:
    """Point DATABASE_URL at a fresh scratch database beside the configured one."""
    base = os.environ.get("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/postgres")
    config = environ.Env.db_url_config(base)
    if "postgresql" not in config["ENGINE"]:
        sys.exit("The reminder bench needs PostgreSQL: set DATABASE_URL to a postgres:// URL.")
    admin = {
        "dbname": config["NAME"] or "postgres",
        "user": config["USER"] or None,
        "password": config["PASSWORD"] or None,
        "host": config["HOST"] or "127.0.0.1",
        "port": config["PORT"] or 5432,
    }
    administer(
        admin,
        sql.SQL("DROP DATABASE IF EXISTS {}").format(sql.Identifier(BENCH_DATABASE)),
        sql.SQL("CREATE DATABASE {}").format(sql.Identifier(BENCH_DATABASE)),
    )
    scheme, _, rest = base.partition("://")
    credentials_and_host = rest.rsplit("/", 1)[0]
    return admin, f"{scheme}://{credentials_and_host}/{BENCH_DATABASE}"


def administer(admin: dict, *statements) -> None:
    """Run statements that cannot run in a transaction (creating and dropping databases)."""
    connection = psycopg2.connect(**admin)
    try:
        connection.autocommit = True
        with connection.cursor() as cursor:
            for statement in statements:
                cursor.execute(statement)
    finally:
        connection.close()


def drop_database(admin: dict) -> None:
    administer(
        admin,
        sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(BENCH_DATABASE)),
    )


def load_people():
    from portal.models import Role, User
    from proposals.models import Pcc

    people = [User(username=f"bench-reviewer-{n}", role=Role.REVIEWER) for n in range(3)]
    for pcc in Pcc.objects.all():
        people += [
            User(username=f"bench-staff-{pcc.slug}", role=Role.PCC_STAFF, pcc=pcc),
            User(username=f"bench-signatory-{pcc.slug}", role=Role.PCC_SIGNATORY, pcc=pcc),
        ]
    people.append(
        User(
            username="bench-staff-essex-quiet",
            role=Role.PCC_STAFF,
            pcc=Pcc.objects.get(slug="essex"),
            early_reminders=False,
        )
    )
    for person in people:
        person.email = f"{person.username}@example.gov.uk"
    User.objects.bulk_create(people)


def load_proposals(*, first: int, count: int, today) -> None:
    """`count` proposals, each with its six stages: those before the current one approved, the
    current one in progress (returned for one in ten PCC steps) with a due date, or for one
    proposal in SUBMITTED_SHARE more, submitted and waiting for review."""
    from proposals.models import Pcc, Proposal, Stage, StageStatus, Step

    pccs = list(Pcc.objects.values_list("pk", flat=True))
    span = DUE_DAYS_PAST + DUE_DAYS_AHEAD
    total = count + count // SUBMITTED_SHARE
    for start in range(first, first + total, BATCH):
        numbers = range(start, min(start + BATCH, first + total))
        proposals = Proposal.objects.bulk_create(
            [
                Proposal(
                    pcc_id=pccs[number % len(pccs)],
                    title=f"Bench proposal {number}",
                    governance_model="governance",
                    is_illustrative=True,
                )
                for number in numbers
            ]
        )
        stages = []
        for number, proposal in zip(numbers, proposals, strict=True):
            current = 1 + (number * 7) % 6
            submitted = number - first >= count
            for step in Step:
                values = {}  # the status is set once, when the stage is made (django-fsm)
                if step < current:
                    values["status"] = StageStatus.APPROVED
                elif step == current and submitted:
                    values["status"] = StageStatus.SUBMITTED
                    values["submitted_at"] = now_minus_days(number % 30)
                elif step == current:
                    returned = step.is_pcc_step and number % 10 == 0
                    values["status"] = StageStatus.RETURNED if returned else StageStatus.IN_PROGRESS
                    values["due_date"] = today + timedelta(
                        days=(number * 7919) % span - DUE_DAYS_PAST
                    )
                stages.append(Stage(proposal=proposal, step=step, **values))
        Stage.objects.bulk_create(stages)


def now_minus_days(days: int):
    from django.utils import timezone

    return timezone.now() - timedelta(days=days)


def measure(function, **kwargs):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        started = time.perf_counter()
        result = function(**kwargs)
        elapsed = time.perf_counter() - started
    return result, elapsed, len(queries)


def forget_queue(queue: str) -> None:
    broker = os.environ.get("REDIS_URL", "")
    if broker.startswith("redis://"):
        import redis

        client = redis.Redis.from_url(broker)
        for key in client.scan_iter(match=f"*{queue}*"):
            client.delete(key)


def main() -> None:
    admin, database_url = scratch_database()
    os.environ["DATABASE_URL"] = database_url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")
    os.environ.setdefault("DJANGO_SECRET_KEY", "bench-only-secret-key-" + "x" * 40)
    os.environ.setdefault("REDIS_URL", "memory://")
    queue = f"bench-reminders-{uuid.uuid4().hex[:8]}"
    os.environ["CELERY_QUEUE"] = queue
    try:
        run(queue)
    finally:
        from django.db import connections

        connections.close_all()
        drop_database(admin)
        forget_queue(queue)


def run(queue: str) -> None:
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection
    from django.utils import timezone

    from proposals.models import ReminderDelivery, Stage
    from proposals.services.reminders import reminders_enqueue_unfinished, reminders_record

    call_command("migrate", verbosity=0)
    today = timezone.localdate()
    load_people()
    print(
        f"Reminder scan bench: PostgreSQL database {settings.DATABASES['default']['NAME']}, "
        f"broker {settings.CELERY_BROKER_URL.split('@')[-1]} (queue {queue}), "
        f"scan day {today.isoformat()}, {os.cpu_count()} CPUs"
    )
    header = (
        f"{'open stages':>12} {'scan day':>10} {'reminders due':>14} {'scan s':>8} "
        f"{'scan queries':>13} {'queued':>8} {'enqueue s':>10} {'enqueue queries':>16}"
    )
    print(header)
    print("-" * len(header))
    loaded = 0
    figures = {}
    for size in SIZES:
        started = time.perf_counter()
        load_proposals(first=loaded, count=size - loaded, today=today)
        loaded = size
        ReminderDelivery.objects.all().delete()
        with connection.cursor() as cursor:
            # What autovacuum does after a bulk load: without statistics the planner would
            # take the fresh tables for nearly empty ones.
            cursor.execute("ANALYZE")
        load_seconds = time.perf_counter() - started
        open_stages = Stage.objects.filter(
            status__in=["in_progress", "returned"], due_date__isnull=False
        ).count()
        for day, label in ((today, "first"), (today + timedelta(days=1), "next")):
            scan, scan_seconds, scan_queries = measure(reminders_record, today=day)
            queued, enqueue_seconds, enqueue_queries = measure(reminders_enqueue_unfinished)
            # Stand in for the workers: what was queued is done before the next day's scan.
            ReminderDelivery.objects.update(status="sent", sent_at=timezone.now())
            print(
                f"{open_stages:>12,} {label:>10} {len(scan.due):>14,} {scan_seconds:>8.2f} "
                f"{scan_queries:>13} {len(queued):>8,} {enqueue_seconds:>10.2f} "
                f"{enqueue_queries:>16}"
            )
            figures[(size, label)] = (scan_seconds, scan_queries, enqueue_seconds)
        forget_queue(queue)
        print(f"{'':>12} (loading {size:,} took {load_seconds:.0f} s)")
    scan_seconds, scan_queries, enqueue_seconds = figures[(SIZES[-1], "first")]
    counts = {figures[(size, "first")][1] for size in SIZES}
    print(
        "Queries per scan at "
        + " and ".join(f"{size:,}" for size in SIZES)
        + f" stages: {'the same' if len(counts) == 1 else 'DIFFERENT'} ({sorted(counts)})"
    )
    print(
        f"reminder_scan_s={scan_seconds:.2f} reminder_scan_queries={scan_queries} "
        f"reminder_enqueue_s={enqueue_seconds:.2f}"
    )


if __name__ == "__main__":
    main()
