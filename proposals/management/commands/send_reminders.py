"""`manage.py send_reminders [--date YYYY-MM-DD] [--dry-run]`: the daily reminder scan, now."""

import argparse
from datetime import date

from django.core.management.base import BaseCommand, CommandError
from django.utils import formats, timezone
from kombu.exceptions import OperationalError as BrokerUnavailable

from proposals.services.reminders import reminders_describe, reminders_scan

DATE_FORMAT_WRONG = "Enter the date as YYYY-MM-DD, for example 2017-10-01"
SCANNED = "Reminders for {day}: {stages} stage{s} read, {due} reminder{due_s} due."
QUEUED = "Queued {count} reminder{s} for the workers to send:"
WOULD_SEND = "Dry run, nothing recorded or sent. {count} reminder{s} would be sent:"
NOTHING_TO_SEND = "Nothing to send: every reminder due has been sent."
BROKER_DOWN = (
    "The reminders due on {day} are recorded, but the broker is not answering: sending will "
    "resume when it is back (unsent reminders are queued again every 5 minutes)."
)


def iso_date(value: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise argparse.ArgumentTypeError(DATE_FORMAT_WRONG) from None


def plural(count: int) -> str:
    return "" if count == 1 else "s"


class Command(BaseCommand):
    help = (
        "Record the reminders due on a day (today in Europe/London unless --date) and queue "
        "them for the Celery workers, as the 07:00 schedule does. Each goes once however often "
        "this runs."
    )

    def add_arguments(self, parser):
        parser.add_argument("--date", type=iso_date, help="The day to scan for, YYYY-MM-DD.")
        parser.add_argument(
            "--dry-run", action="store_true", help="List what would be sent; send nothing."
        )

    def handle(self, *args, date=None, dry_run=False, **options):
        try:
            result = reminders_scan(today=date, dry_run=dry_run)
        except BrokerUnavailable:
            day = formats.date_format(date or timezone.localdate())
            raise CommandError(BROKER_DOWN.format(day=day)) from None
        self.stdout.write(
            SCANNED.format(
                day=formats.date_format(result.today),
                stages=result.stages,
                s=plural(result.stages),
                due=len(result.due),
                due_s=plural(len(result.due)),
            )
        )
        count = len(result.to_send)
        if not count:
            self.stdout.write(NOTHING_TO_SEND)
            return
        heading = WOULD_SEND if dry_run else QUEUED
        self.stdout.write(heading.format(count=count, s=plural(count)))
        for line in reminders_describe(reminders=result.to_send):
            self.stdout.write(f"  {line}")
