from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from portal.models import User
from proposals.services import api_tokens


class Command(BaseCommand):
    help = (
        "Create an API token for a person and print its secret, once (the portal keeps only its "
        "digest). Recorded in the history, with no one as the actor; the person is told."
    )

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("name", help="The token's name, like “Monthly report”")

    def handle(self, *args, username, name, **options):
        user = User.objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"No user called {username}")
        if not user.is_active:
            raise CommandError(f"{username}'s account is disabled: its tokens would not work")
        try:
            token, secret = api_tokens.api_token_issue(user=user, name=name, by=None)
        except ValidationError as error:
            raise CommandError(f"{username}: {' '.join(error.messages)}") from error
        # The secret alone on standard output, so `TOKEN=$(manage.py api_token_create ...)`
        # works; what it is, on standard error.
        self.stderr.write(
            f"API token “{token.name}” for {username}, shown only now (copy it: the portal "
            "keeps only its digest):"
        )
        self.stdout.write(secret)
