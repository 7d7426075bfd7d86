"""Each person's deadlines calendar: a secret address they can turn off or replace."""

import re
import secrets

from django.db import transaction

#: What calendar_token_issue makes (URL-safe base64): any other address is not one of ours.
TOKEN_PATTERN = re.compile(r"[A-Za-z0-9_-]+")


@transaction.atomic
def calendar_token_issue(*, user) -> str:
    """A new secret address for `user`'s calendar; any old address stops working."""
    user.calendar_token = secrets.token_urlsafe(32)
    user.save(update_fields=["calendar_token"])
    return user.calendar_token


@transaction.atomic
def calendar_token_revoke(*, user) -> None:
    """Turn the calendar off: its address stops working at once."""
    user.calendar_token = None
    user.save(update_fields=["calendar_token"])
