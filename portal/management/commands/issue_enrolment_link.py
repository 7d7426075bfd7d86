from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from portal.models import User
from proposals.services import accounts


class Command(BaseCommand):
    help = (
        "E-mail a person a single-use link to set up their first authenticator app (it expires "
        "after ENROLMENT_LINK_HOURS), and print it. For the first site admin, and for operators."
    )

    def add_arguments(self, parser):
        parser.add_argument("username")

    def handle(self, *args, username, **options):
        user = User.objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"No user called {username}")
        try:
            url = accounts.enrolment_link_issue(user=user, by=None)
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from error
        self.stdout.write(f"Enrolment link for {username}, e-mailed to {user.email}:\n{url}")
