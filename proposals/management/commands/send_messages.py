"""`manage.py send_messages [--digests]`: queue the hand-off e-mails still unsent, now (what the
5-minute beat sweep does); with --digests, send the daily digests too (what 08:00 does)."""

from django.core.management.base import BaseCommand

from proposals.services.messages import message_digests_send, messages_enqueue_unfinished

QUEUED = "Queued {count} hand-off e-mail{s} for the workers to send."
DIGESTS_SENT = "Sent {count} digest{s}."


def plural(count: int) -> str:
    return "" if count == 1 else "s"


class Command(BaseCommand):
    help = "Queue every hand-off e-mail not yet sent; with --digests, send the daily digests."

    def add_arguments(self, parser):
        parser.add_argument(
            "--digests", action="store_true", help="Also send each person's digest now."
        )

    def handle(self, *args, digests=False, **options):
        queued = len(messages_enqueue_unfinished())
        self.stdout.write(QUEUED.format(count=queued, s=plural(queued)))
        if digests:
            sent = message_digests_send()
            self.stdout.write(DIGESTS_SENT.format(count=sent, s=plural(sent)))
