from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.core.management.base import BaseCommand, CommandError

from proposals.services import demo


class Command(BaseCommand):
    help = (
        "Load demo users, the nine PCCs' proposals as FACTS.md records them, and optionally "
        "N illustrative proposals for scale tests. Safe to run again: it only adds what is missing."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--proposals",
            type=int,
            default=0,
            metavar="N",
            help="Total number of synthetic illustrative proposals wanted (default 0).",
        )

    def handle(self, *args, proposals, **options):
        if proposals < 0:
            raise CommandError("--proposals must be 0 or more")
        try:
            password = demo.demo_password(debug=settings.DEBUG, configured=settings.DEMO_PASSWORD)
        except ImproperlyConfigured as error:
            raise CommandError(str(error)) from error
        report = demo.demo_seed(password=password, extra_proposals=proposals)
        self.stdout.write(
            f"Demo data: {report.users_created} users, {report.history_created} historical "
            f"proposals and {report.synthetic_created} illustrative proposals added."
        )
        if options["verbosity"] >= 1:
            usernames = ", ".join(
                [name for name, _, _ in demo.demo_usernames()]
                + [name for name, *_ in demo.INVITED_DEMO_USERS]
            )
            self.stdout.write(f"Demo sign-ins: {usernames}")
            if password == demo.DEFAULT_DEMO_PASSWORD:
                self.stdout.write(f"Demo password (debug only): {password}")
